// One rule per libyara module Tollgate relies on; each is checked against data built in the test.
import "pe"
import "math"
import "hash"

rule imports_virtualalloc
{
    meta:
        score = 72
    condition:
        pe.is_pe and pe.imports("kernel32.dll", "VirtualAlloc")
}

rule high_entropy
{
    meta:
        severity = "low"
    condition:
        filesize > 1024 and math.entropy(0, filesize) >= 7.5
}

rule known_sha256
{
    condition:
        // SHA-256 of the ASCII bytes "tollgate"
        hash.sha256(0, filesize) == "4485ecf50fcb30d3c6aca2a2a69f7139e98cd7d52b075a9259036c3702fb61fd"
}
