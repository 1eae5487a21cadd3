// Benchmark rules written for Tollgate: PE files able to write into other processes' memory.
import "pe"

rule bench_writes_other_processes
{
    meta:
        score = 40
    condition:
        pe.is_pe and pe.imports("kernel32.dll", "WriteProcessMemory")
}
