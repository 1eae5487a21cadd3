// Benchmark rules written for Tollgate: a packed-looking PE section (math module).
import "pe"
import "math"

rule bench_high_entropy_section
{
    meta:
        severity = "info"
    condition:
        pe.is_pe and
        for any s in pe.sections : (
            s.raw_data_size > 4096 and math.entropy(s.raw_data_offset, s.raw_data_size) > 7.9
        )
}
