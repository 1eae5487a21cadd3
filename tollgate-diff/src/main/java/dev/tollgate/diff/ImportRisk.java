package dev.tollgate.diff;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Sorts Windows API imports into the capabilities a reviewer cares about when a library starts importing them: the
 * 3CX {@code ffmpeg.dll} newly opened files, mapped memory and loaded code. Names are matched without the {@code A}/
 * {@code W}/{@code ExA}/{@code ExW} suffixes, case-insensitively.
 */
final class ImportRisk {

    /** Capability, then the API name stems that grant it (prefix match on the stem). */
    private static final Map<String, List<String>> CAPABILITIES = Map.of(
            "file",
            List.of(
                    "createfile",
                    "readfile",
                    "writefile",
                    "deletefile",
                    "movefile",
                    "copyfile",
                    "findfirstfile",
                    "getmodulefilename",
                    "createfilemapping",
                    "mapviewoffile"),
            "memory",
            List.of("virtualalloc", "virtualprotect", "heapcreate", "rtlmovememory", "ntallocatevirtualmemory"),
            "process",
            List.of(
                    "createprocess",
                    "createthread",
                    "createremotethread",
                    "openprocess",
                    "writeprocessmemory",
                    "readprocessmemory",
                    "loadlibrary",
                    "getprocaddress",
                    "shellexecute",
                    "winexec",
                    "queueuserapc",
                    "setwindowshook",
                    "ntcreatethread"),
            "network",
            List.of(
                    "winhttp",
                    "internetopen",
                    "internetconnect",
                    "internetreadfile",
                    "httpopenrequest",
                    "httpsendrequest",
                    "urldownloadtofile",
                    "socket",
                    "connect",
                    "wsastartup",
                    "wsasocket",
                    "getaddrinfo",
                    "gethostbyname",
                    "dnsquery"),
            "crypto",
            List.of(
                    "cryptacquirecontext",
                    "cryptdecrypt",
                    "cryptencrypt",
                    "cryptimportkey",
                    "cryptunprotectdata",
                    "bcryptdecrypt",
                    "bcryptencrypt",
                    "bcryptopenalgorithmprovider",
                    "bcryptgeneratesymmetrickey"),
            "registry",
            List.of("regopenkey", "regsetvalue", "regcreatekey", "regdeletekey", "regqueryvalue", "regenumkey"));

    private ImportRisk() {}

    /**
     * The capability an import grants, if it is security-relevant.
     *
     * @param function the imported function name (without the DLL)
     */
    static Optional<String> capabilityOf(String function) {
        String stem = function.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, List<String>> e : CAPABILITIES.entrySet()) {
            for (String prefix : e.getValue()) {
                if (stem.startsWith(prefix)) {
                    return Optional.of(e.getKey());
                }
            }
        }
        return Optional.empty();
    }
}
