// A face drawn from shapes (head, hair, brows, eyes, nose, mouth; softened), which the LBP
// cascade finds: a picture of a face for checks on machines without photos (`presgen
// doctor`), never used to judge tracking quality (tests use a real photo for that).
#pragma once

#include <cstdint>
#include <vector>

#include "core/types.h"

namespace presgen {

struct SchematicFace {
  std::vector<uint8_t> gray;  // size x size, rows packed
  int size = 0;
  Box face;  // where the face is drawn
};

// `size` 96..2048 px (clamped).
SchematicFace DrawSchematicFace(int size);

}  // namespace presgen
