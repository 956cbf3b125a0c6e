// flexrecon is the library plus this main(): everything else is in src/cli/.
#include "cli/cli.h"

int main(int argc, char** argv) { return flexrecon::run_cli(argc, argv); }
