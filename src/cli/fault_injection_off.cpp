#include "cli/fault_injection.h"

namespace presgen {

RenderProcessHooks FaultInjectionHooks() { return {}; }

}  // namespace presgen
