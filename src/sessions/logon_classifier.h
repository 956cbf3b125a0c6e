// Who and what counts as a person at the keyboard (SPEC 2): the filter every session source
// passes through before it may prove presence.
#pragma once

#include <string_view>

#include "flexrecon/reference_data.h"

namespace flexrecon::sessions {

// LogonType 2 (console), 10 (RDP), 11 (cached console), 12 (cached RDP): the types a person sits
// behind. 7 (unlock) and 13 (cached unlock) re-enter an existing session and start nothing.
bool is_interactive_logon_type(int type);

// The LogonType field as a number; -1 when absent or not a number.
int parse_logon_type(std::string_view text);

// A person rather than the machine, a system principal or a service. `account` as written
// (`CORP\jdoe`, `DWM-1`, `WS-01$`), `sid` may be empty (4778/4779 and LSM events carry none).
bool is_human_account(std::string_view account, std::string_view sid, const Settings& settings);

}  // namespace flexrecon::sessions
