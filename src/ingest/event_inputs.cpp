// read_event_inputs: walks files, directories and archives, registers every event source, and feeds
// the events into the store.
#include <algorithm>
#include <filesystem>
#include <system_error>

#include "flexrecon/event_store.h"
#include "ingest/archive_reader.h"
#include "ingest/byte_sources.h"
#include "ingest/event_store_builder.h"
#include "ingest/event_stream.h"

namespace flexrecon {

namespace {

namespace fs = std::filesystem;

const char* special_kind(fs::file_type type) {
  switch (type) {
    case fs::file_type::fifo: return "FIFO";
    case fs::file_type::socket: return "socket";
    case fs::file_type::block: return "block device";
    case fs::file_type::character: return "character device";
    default: return "special file";
  }
}

class InputWalker {
 public:
  InputWalker(const EventReadOptions& options, SourceTable& sources, EventStore& store, Rejects& rejects)
      : options_(options), sources_(sources), store_(store), builder_(store), rejects_(rejects) {}

  void top_level(const std::string& path) {
    std::error_code ec;
    // A path given on the command line is followed even when it is a symlink: the user named it.
    const auto status = fs::status(path, ec);
    if (status.type() == fs::file_type::not_found) {
      reject_file(path, "no such file or directory");
    } else if (ec) {
      reject_file(path, "cannot access: " + ec.message());
    } else if (status.type() == fs::file_type::directory) {
      walk(path);
    } else {
      entry(path, status.type());
    }
  }

  void finish() { builder_.finish(); }

 private:
  void reject_file(const std::string& name, const std::string& reason) {
    rejects_.push_back({name, "file", reason});
    ++store_.counts.files_rejected;
  }

  void entry(const std::string& path, fs::file_type type) {
    if (type == fs::file_type::regular) {
      file(path);
    } else {
      // Never opened: reading a FIFO or a device could hang or never end.
      reject_file(path, std::string("skipped: ") + special_kind(type));
    }
  }

  void walk(const std::string& dir) {
    std::error_code ec;
    std::vector<fs::directory_entry> entries;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) entries.push_back(*it);
    if (ec) {
      reject_file(dir, "cannot read directory: " + ec.message());
      return;
    }
    // Directory order is whatever the file system says; sort so runs are identical everywhere.
    std::sort(entries.begin(), entries.end(), [](const fs::directory_entry& a, const fs::directory_entry& b) {
      return a.path().filename().native() < b.path().filename().native();
    });
    for (const auto& e : entries) {
      const std::string path = (fs::path(dir) / e.path().filename()).string();
      const auto own = e.symlink_status(ec).type();
      if (own == fs::file_type::symlink) {
        const auto target = fs::status(e.path(), ec).type();
        if (ec || target == fs::file_type::not_found) {
          reject_file(path, "broken symbolic link");
        } else if (target == fs::file_type::directory) {
          reject_file(path, "symbolic link to a directory not followed");
        } else {
          entry(path, target);
        }
      } else if (own == fs::file_type::directory) {
        walk(path);
      } else {
        entry(path, own);
      }
    }
  }

  void file(const std::string& path) {
    try {
      FileSource file(path);
      HashingSource hashed(file);
      stream(hashed, path, 0);
    } catch (const Error& e) {
      // The reject already names the file; keep only what went wrong.
      std::string_view why = e.what();
      if (why.starts_with(path + ": ")) why.remove_prefix(path.size() + 2);
      reject_file(path, std::string(why));
    } catch (const ArchiveDataError& e) {
      reject_file(path, e.what());
    } catch (const std::exception& e) {
      // Bad content must never stop the run, whatever a reader below throws.
      reject_file(path, std::string("unreadable: ") + e.what());
    }
  }

  // One stream: an event file (registered as a source) or an archive (its members recursed into).
  void stream(HashingSource& in, const std::string& name, int depth) {
    std::string head = read_head(in, kSniffBytes);
    if (head.empty()) {
      reject_file(name, "empty file");
      return;
    }
    std::string format = sniff_event_format(head);
    PrefixedSource replay(std::move(head), in);
    if (!format.empty()) {
      events(replay, in, name, format);
      return;
    }
    if (depth >= options_.max_archive_nesting) {
      // Read no further: only say which refusal applies.
      const bool archive = looks_like_archive(read_head(replay, kSniffBytes));
      reject_file(name, archive ? "archive nested deeper than " + std::to_string(options_.max_archive_nesting) + " levels"
                                : "not a recognised event format");
      return;
    }
    const bool was_archive = read_archive(
        replay, name, options_,
        [&](const std::string& member, ByteSource& data) {
          HashingSource hashed(data);
          stream(hashed, member, depth + 1);
        },
        [&](const std::string& item, const std::string& reason) { reject_file(item, reason); });
    if (!was_archive) reject_file(name, "not a recognised event format");
  }

  void events(ByteSource& replay, HashingSource& hashed, const std::string& name, const std::string& format) {
    const SourceId id = sources_.add(SourceFile{name, SourceKind::Events, format, "", 0});
    ++store_.counts.files;
    const std::size_t before = rejects_.size();
    // The source entry is completed even when reading fails part-way: its events are already in.
    const auto seal = [&] {
      store_.counts.rejected += rejects_.size() - before;
      auto& file = sources_.at(id);
      file.sha256 = hashed.hex_digest();
      file.size = hashed.size();
    };
    try {
      read_event_stream(replay, name, id, options_, [&](Event&& e) { builder_.add(std::move(e)); }, rejects_);
      hashed.drain();
    } catch (...) {
      seal();
      throw;
    }
    seal();
    if (options_.on_progress) options_.on_progress(name, hashed.size());
  }

  const EventReadOptions& options_;
  SourceTable& sources_;
  EventStore& store_;
  EventStoreBuilder builder_;
  Rejects& rejects_;
};

}  // namespace

void read_event_inputs(const std::vector<std::string>& paths, const EventReadOptions& options,
                       SourceTable& sources, EventStore& store, Rejects& rejects) {
  InputWalker walker(options, sources, store, rejects);
  for (const auto& path : paths) walker.top_level(path);
  walker.finish();
}

}  // namespace flexrecon
