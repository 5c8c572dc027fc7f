#include "core/text_case.h"

#include <cctype>

namespace presgen {

std::string CapitalizeFirst(std::string s) {
  for (char& ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalpha(c)) {
      ch = static_cast<char>(std::toupper(c));
      break;
    }
    if (std::isdigit(c) || c >= 0x80 || c == '$') break;
  }
  return s;
}

}  // namespace presgen
