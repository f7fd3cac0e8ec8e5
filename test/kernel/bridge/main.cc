// dmabridge_test <subcommand> [args]: the dmaengine bridge's guest tests (see harness.h).
#include <functional>
#include <map>

#include "harness.h"

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  const std::map<std::string, std::function<int(int, char**)>> cmds = {
      {"ops", bt::testOps},           {"faults", bt::testFaults}, {"terminate", bt::testTerminate},
      {"close", bt::testClose},       {"rmmod", bt::testRmmod},   {"models", bt::testModels},
      {"fuzz", bt::testFuzz},         {"slave", bt::testSlave},   {"access", bt::testAccess},
      {"align", bt::testAlign},       {"probe", bt::testProbe},
  };
  if (argc < 2 || !cmds.count(argv[1])) {
    std::fprintf(stderr, "usage: dmabridge_test <");
    for (const auto& c : cmds) std::fprintf(stderr, "%s|", c.first.c_str());
    std::fprintf(stderr, "> [args]\n");
    return 2;
  }
  int r = cmds.at(argv[1])(argc - 2, argv + 2);
  if (r == 0) std::printf("ok %s\n", argv[1]);
  return r;
}
