// Letter case helpers shared by the transcript and deck stages.
#pragma once

#include <string>

namespace presgen {

// Upper-cases the first ASCII letter of s, unless a digit, '$' or a non-ASCII
// byte comes first ("we grew" -> "We grew", "$2M raised" and "élan" unchanged).
std::string CapitalizeFirst(std::string s);

}  // namespace presgen
