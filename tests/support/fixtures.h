// Where tests find the generated media fixtures (tests/fixtures/make_fixtures.py).
#pragma once

#include <string>

namespace presgen::test {

inline std::string FixturePath(const std::string& name) {
  return std::string(PRESGEN_FIXTURES_DIR) + "/" + name;
}

}  // namespace presgen::test
