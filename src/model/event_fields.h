// SPEC 1.2's field mapping, written once for every reader of event XML (the XML exports parsed with
// pugixml, the EVTX records decoded from Binary XML): which elements of an <Event> become
// EventFields, and under which names.
//
//  - EventData/Data[@Name] -> the Name; a Data without (or with an empty) Name -> "Data1", "Data2"...
//    in order; any other element inside EventData (<Binary>) -> its element name.
//  - UserData/*/* -> the element name, for every wrapper (SPEC: `UserData/*/*`; Windows writes one
//    wrapper, but a second one must not make its fields disappear).
// Names are compared and kept without a namespace prefix: `ns:Data` is Data, `x:User` is User.
//
// A template over the tree, not a function over a common node type, because the XML path runs once
// per event in the millions: copying pugixml nodes into another tree first would cost more than the
// parse. `Tree` supplies, for its `Node` type:
//   static void for_each_child(const Node&, F)         element children only, in document order
//   static std::string_view name(const Node&)          qualified element name
//   static std::string_view name_attribute(const Node&) the Name attribute, empty when absent
//   static void assign_text(const Node&, std::string&) the element's text, trimmed, as XML reads it
//
// The fields are written over `fields`' entries, which is then cut to the count: a reader that keeps
// one Event from record to record reuses every name and value string instead of allocating them anew
// for each of the millions of fields of an archive.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "flexrecon/event.h"

namespace flexrecon {

// `ns:Name` -> `Name`.
inline std::string_view local_element_name(std::string_view qualified) {
  const auto colon = qualified.rfind(':');
  return colon == std::string_view::npos ? qualified : qualified.substr(colon + 1);
}

// `out` = `s`, as a copy into the capacity `out` already has. std::string::assign goes through the
// general replace (which must allow for `s` pointing into `out` itself) at several times the cost,
// and every field of every event is written twice. `s` must not point into `out`.
inline void overwrite(std::string& out, std::string_view s) {
  out.clear();
  out.append(s);
}

template <typename Tree, typename Node>
void collect_event_fields(const Node& event, std::vector<EventField>& fields) {
  std::size_t used = 0;
  const auto next_field = [&]() -> EventField& {
    if (used == fields.size()) fields.emplace_back();
    return fields[used++];
  };
  bool seen_event_data = false;
  bool seen_user_data = false;
  Tree::for_each_child(event, [&](const Node& section) {
    const std::string_view section_name = local_element_name(Tree::name(section));
    // The first EventData and the first UserData count, as a reader looking them up by name finds them.
    if (section_name == "EventData" && !seen_event_data) {
      seen_event_data = true;
      int unnamed = 0;
      Tree::for_each_child(section, [&](const Node& item) {
        const std::string_view item_name = local_element_name(Tree::name(item));
        EventField& field = next_field();
        if (item_name == "Data") {
          overwrite(field.name, Tree::name_attribute(item));
          if (field.name.empty()) {
            field.name.assign("Data");
            field.name += std::to_string(++unnamed);
          }
        } else {
          overwrite(field.name, item_name);
        }
        Tree::assign_text(item, field.value);
      });
    } else if (section_name == "UserData" && !seen_user_data) {
      seen_user_data = true;
      Tree::for_each_child(section, [&](const Node& wrapper) {
        Tree::for_each_child(wrapper, [&](const Node& item) {
          EventField& field = next_field();
          overwrite(field.name, local_element_name(Tree::name(item)));
          Tree::assign_text(item, field.value);
        });
      });
    }
  });
  fields.resize(used);
}

}  // namespace flexrecon
