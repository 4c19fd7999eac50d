// cli/main.cc: the `constellation` executable. Everything but reading argv and the environment
// lives in constellation_cli_lib (cli/commands.h) so that it can be unit-tested.
#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return constellation::cli::RunCli(args, constellation::cli::ProcessEnv(), std::cout, std::cerr,
                                    isatty(STDOUT_FILENO) != 0, isatty(STDERR_FILENO) != 0);
}
