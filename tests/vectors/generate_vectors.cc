// tests/vectors/generate_vectors.cc
//
// Writes the protocol test vectors (tests/vectors/README.md): one JSON document per scenario
// of vectors.h, into the directory given as the only argument (normally tests/vectors/).
// Run it only when the protocol changes on purpose; vectors_test then checks the new files.
//   build/tests/vectors/generate_vectors tests/vectors
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include "tests/vectors/vectors.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: generate_vectors DIR   (writes DIR/<scenario>.json)\n";
    return 2;
  }
  const std::string dir = argv[1];
  for (const constellation::vectors::VectorScenario& scenario :
       constellation::vectors::BuildScenarios()) {
    absl::StatusOr<nlohmann::json> document = constellation::vectors::DeriveDocument(scenario);
    if (!document.ok()) {
      std::cerr << scenario.name << ": " << document.status() << "\n";
      return 1;
    }
    const std::string path = dir + "/" + scenario.name + ".json";
    std::ofstream out(path);
    out << document->dump(1) << "\n";
    if (!out) {
      std::cerr << "cannot write " << path << "\n";
      return 1;
    }
    std::cout << "wrote " << path << "\n";
  }
  return 0;
}
