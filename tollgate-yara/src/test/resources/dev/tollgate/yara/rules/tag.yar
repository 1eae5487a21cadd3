// Test rules written for Tollgate's own tests.
rule sigflip_tag : tamper sigflip
{
    meta:
        description = "the SigFlip tag FE ED FA CE FE ED FA CE, as appended in the 3CX d3dcompiler_47.dll"
        severity = "critical"
        score = 95
        reviewed = true
    strings:
        $tag = { FE ED FA CE FE ED FA CE }
        $marker = "tollgate-test-marker" ascii wide
        $hidden = "hidden-helper" private
    condition:
        $tag or $marker or $hidden
}

rule never_matches
{
    condition:
        false
}
