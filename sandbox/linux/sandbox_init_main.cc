// fathom-sandbox-init: see sandbox_init.h.
#include "sandbox/linux/sandbox_init.h"

int main(int argc, char** argv) { return fathom::sandbox::linux::RunSandboxInit(argc, argv); }
