// The web page's files (web/), compiled into the binary by
// cmake/embed_files.cmake, so `presgen serve` needs nothing beside itself.
#pragma once

#include <cstddef>
#include <string_view>

namespace presgen {

struct WebAsset {
  const char* path;          // "/index.html"
  const unsigned char* data;
  size_t size;
};

// The asset at a URL path ("/" is "/index.html"); nullptr when there is none.
const WebAsset* FindWebAsset(std::string_view path);
// "text/html; charset=utf-8" etc., from the file name's extension.
const char* ContentTypeFor(std::string_view path);

}  // namespace presgen
