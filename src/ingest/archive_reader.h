// Reads archives (.zip, .tar, .tar.gz/.tgz, .gz) in place through libarchive: members are streamed
// to the event readers and never written to disk, so `../` or absolute member paths cannot escape.
#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "flexrecon/event_store.h"

namespace flexrecon {

// A member's data cannot be read: corrupt, or expanding past the bounds of EventReadOptions.
class ArchiveDataError : public std::runtime_error {
 public:
  ArchiveDataError(const std::string& what, bool over_expansion) : std::runtime_error(what), over_expansion_(over_expansion) {}
  // Reading cannot safely go on past an over-expanding member: skipping it means decompressing it.
  bool over_expansion() const { return over_expansion_; }

 private:
  bool over_expansion_;
};

// True when libarchive recognises `head` as a container or compressed stream we read.
bool looks_like_archive(std::string_view head);

// Streams each regular-file member of the archive in `in` to `on_member(member_name, data)`, where
// member_name is `archive_name!path/in/archive` (`x.xml.gz!x.xml` for a plain .gz). Members and
// archives that cannot be read go to `on_reject(name, reason)`. Returns false, touching nothing,
// when `in` is not an archive at all.
bool read_archive(ByteSource& in, const std::string& archive_name, const EventReadOptions& options,
                  const std::function<void(const std::string&, ByteSource&)>& on_member,
                  const std::function<void(const std::string&, const std::string&)>& on_reject);

}  // namespace flexrecon
