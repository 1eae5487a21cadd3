// Benchmark rules written for Tollgate. The SigFlip tag the 3CX d3dcompiler_47.dll carried in its
// certificate table, anywhere in a file.
rule bench_sigflip_tag : tamper
{
    meta:
        severity = "critical"
    strings:
        $tag = { FE ED FA CE FE ED FA CE }
    condition:
        $tag
}

// Matches most of the tree (Wine marks its PE files), so that match reporting is part of the cost.
rule bench_wine_builtin
{
    meta:
        severity = "info"
    strings:
        $stub = "Wine builtin DLL" ascii
        $name = "wine" ascii wide nocase fullword
    condition:
        $stub at 0x40 or #name > 3
}
