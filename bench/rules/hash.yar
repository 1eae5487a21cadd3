// Benchmark rules written for Tollgate: a known-bad file by SHA-256 (hash module), limited to
// small files as a real rule would be. The digest is the 3CX trojanized ffmpeg.dll's (public IOC).
import "hash"

rule bench_known_sha256
{
    meta:
        severity = "critical"
    condition:
        filesize < 5MB and
        hash.sha256(0, filesize) == "7986bbaee8940da11ce089383521ab420c443ab7b15ed42aed91fd31ce833896"
}

rule bench_c2_strings
{
    meta:
        severity = "critical"
    strings:
        $a = "akamaicontainer.com" ascii wide nocase
        $b = "msstorageazure.com" ascii wide nocase
        $c = "raw.githubusercontent.com/IconStorages" ascii wide nocase
    condition:
        any of them
}
