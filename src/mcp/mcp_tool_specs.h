// The tool table of presgen's MCP server: names, descriptions, input and output schemas.
#pragma once

#include <vector>

#include "mcp/mcp_tools.h"

namespace presgen::mcp {

// Over HTTP the tools take no output paths, and render_video may take an uploaded job.
std::vector<ToolSpec> PresgenToolSpecs(McpTransport transport);

}  // namespace presgen::mcp
