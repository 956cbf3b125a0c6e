// How a copy's names are made from its stored twin's: the same bytes ingested under another path
// (`unit_copies`) are replayed by every run under the copy's path, so every name that reading them
// gave (the file, `path!member`, a member named in a reason) is the twin's with the path changed.
#pragma once

#include <string>

namespace flexrecon {

// `name` (a custody entry's or a reject's source) under `to` when it is `from` or `from!member`;
// any other name unchanged.
std::string name_under(const std::string& name, const std::string& from, const std::string& to);

// Every member name `from!...` that `text` mentions (a reason such as "archive not read beyond
// over-expanding member ...") renamed under `to`. A mention starts the text or follows a space, a
// quote or an opening bracket: `from!` inside a longer name (`data.zip!` for `a.zip`) is not one.
void rename_member_mentions(std::string& text, const std::string& from, const std::string& to);

}  // namespace flexrecon
