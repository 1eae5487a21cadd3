#include <windows.h>
void start(void) { VirtualAlloc(0, 4096, MEM_COMMIT, PAGE_READWRITE); ExitProcess(0); }
