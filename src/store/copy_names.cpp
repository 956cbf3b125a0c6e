#include "store/copy_names.h"

namespace flexrecon {

std::string name_under(const std::string& name, const std::string& from, const std::string& to) {
  if (name == from) return to;
  if (name.size() > from.size() && name.compare(0, from.size(), from) == 0 && name[from.size()] == '!')
    return to + name.substr(from.size());
  return name;
}

void rename_member_mentions(std::string& text, const std::string& from, const std::string& to) {
  const std::string old_prefix = from + "!";
  const std::string new_prefix = to + "!";
  const auto starts_a_name = [&](std::size_t at) {
    if (at == 0) return true;
    const char before = text[at - 1];
    return before == ' ' || before == '\'' || before == '"' || before == '(' || before == '[';
  };
  std::size_t at = text.find(old_prefix);
  while (at != std::string::npos) {
    if (starts_a_name(at)) {
      text.replace(at, old_prefix.size(), new_prefix);
      at += new_prefix.size();
    } else {
      at += 1;
    }
    at = text.find(old_prefix, at);
  }
}

}  // namespace flexrecon
