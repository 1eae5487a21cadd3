rule good
{
    strings:
        $a = "abc"
    condition:
        $a and
}
