// read_event_inputs: walks files, directories and archives, registers every event source, and feeds
// the events into the store.
#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
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

// One thing to read, found by walking the command line's paths: a file (plain or archive) or a
// refusal decided by the walk itself (a FIFO, a link to a directory...).
struct InputUnit {
  std::string path;
  std::string refusal;     // non-empty: reject the path with this reason, read nothing
  std::uint64_t bytes = 0;  // size on disk (stat), for the progress plan
};

std::uint64_t size_on_disk(const std::string& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  return ec ? 0 : static_cast<std::uint64_t>(size);
}

// Expands the command line's paths into units, in a deterministic order.
class InputWalk {
 public:
  std::vector<InputUnit> units;

  void top_level(const std::string& path) {
    std::error_code ec;
    // A path given on the command line is followed even when it is a symlink: the user named it.
    const auto status = fs::status(path, ec);
    if (status.type() == fs::file_type::not_found) {
      units.push_back({path, "no such file or directory"});
    } else if (ec) {
      units.push_back({path, "cannot access: " + ec.message()});
    } else if (status.type() == fs::file_type::directory) {
      walk(path);
    } else {
      entry(path, status.type());
    }
  }

 private:
  void entry(const std::string& path, fs::file_type type) {
    if (type == fs::file_type::regular) {
      units.push_back({path, "", size_on_disk(path)});
    } else {
      // Never opened: reading a FIFO or a device could hang or never end.
      units.push_back({path, std::string("skipped: ") + special_kind(type)});
    }
  }

  void walk(const std::string& dir) {
    std::error_code ec;
    std::vector<fs::directory_entry> entries;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) entries.push_back(*it);
    if (ec) {
      units.push_back({dir, "cannot read directory: " + ec.message()});
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
          units.push_back({path, "broken symbolic link"});
        } else if (target == fs::file_type::directory) {
          units.push_back({path, "symbolic link to a directory not followed"});
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
};

// What reading one unit produced besides its events. Source ids in events are local to the unit
// (0, 1, ... in `sources` order) until the unit is merged into the run's SourceTable.
struct UnitResult {
  std::vector<SourceFile> sources;
  Rejects rejects;
  std::uint64_t files = 0;
  std::uint64_t files_rejected = 0;
  std::uint64_t events_rejected = 0;
  std::uint64_t bytes_read = 0;  // from disk: the file itself, compressed when an archive
};

// Counts the bytes read from disk and passes them on to on_bytes_read about every MiB, so a display
// moves inside a large file or archive too, not only between files.
class BytesReadCounter : public ByteSource {
 public:
  BytesReadCounter(ByteSource& in, std::uint64_t& total, const std::function<void(std::uint64_t)>& report)
      : in_(in), total_(total), report_(report) {}
  ~BytesReadCounter() override {
    try {
      flush();
    } catch (...) {
      // A display that fails must not end the run; the bytes are still counted in `total`.
    }
  }

  std::size_t read(char* buf, std::size_t n) override {
    const std::size_t got = in_.read(buf, n);
    total_ += got;
    pending_ += got;
    if (pending_ >= kReportEvery || got == 0) flush();
    return got;
  }

 private:
  static constexpr std::uint64_t kReportEvery = 1u << 20;

  void flush() {
    if (pending_ == 0 || !report_) return;
    const std::uint64_t n = pending_;
    pending_ = 0;
    report_(n);
  }

  ByteSource& in_;
  std::uint64_t& total_;
  const std::function<void(std::uint64_t)>& report_;
  std::uint64_t pending_ = 0;
};

// The options handed to the readers below: the display hooks are this file's to call, once per
// input file, never per member or chunk (the EVTX reader reports chunks to on_progress itself).
EventReadOptions without_display_hooks(EventReadOptions options) {
  options.on_plan = nullptr;
  options.on_bytes_read = nullptr;
  options.on_progress = nullptr;
  return options;
}

// Reads one unit: its file, or, for an archive, every member (recursing into nested archives).
// Events go to `deliver`; everything else into `result`. Never throws for bad content.
class UnitReader {
 public:
  UnitReader(const EventReadOptions& options, UnitResult& result, const std::function<void(Event&&)>& deliver)
      : options_(without_display_hooks(options)), on_bytes_read_(options.on_bytes_read), result_(result), deliver_(deliver) {}

  void read(const InputUnit& unit) {
    if (!unit.refusal.empty()) {
      reject_file(unit.path, unit.refusal);
      return;
    }
    const std::string& path = unit.path;
    try {
      FileSource file(path);
      BytesReadCounter counted(file, result_.bytes_read, on_bytes_read_);
      HashingSource hashed(counted);
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

 private:
  // Every file rejected here is also listed in the chain of custody, with the reason: a file that
  // was given or found and not used must still be accounted for (manifest.json, source_files).
  void reject_file(const std::string& name, const std::string& reason) {
    result_.rejects.push_back({name, "file", reason});
    ++result_.files_rejected;
    SourceFile& file = result_.sources[listed(name)];
    file.error += (file.error.empty() ? "" : "; ") + reason;
  }

  // The unit's entry for `name`, added (unhashed) when the file is not listed yet.
  SourceId listed(const std::string& name) {
    for (std::size_t i = result_.sources.size(); i-- > 0;)
      if (result_.sources[i].name == name) return static_cast<SourceId>(i);
    result_.sources.push_back(SourceFile{name, SourceKind::Events, "", "", 0, ""});
    return static_cast<SourceId>(result_.sources.size() - 1);
  }

  // Records the SHA-256 and size of the whole stream, reading what its reader left. A stream that
  // cannot be read to its end gets no hash (a hash of part of a file would prove nothing).
  void hash_whole(SourceId id, HashingSource& in) {
    SourceFile& file = result_.sources[id];
    try {
      in.drain();
      file.sha256 = in.hex_digest();
      file.size = in.size();
    } catch (const std::exception& e) {
      file.sha256.clear();
      file.size = in.size();
      file.error += std::string(file.error.empty() ? "" : "; ") + "not hashed: read failed after " +
                    std::to_string(in.size()) + " bytes (" + e.what() + ")";
    }
  }

  // One stream: an event file (registered as a source) or an archive (its members recursed into).
  // Either way, and when it is neither, the stream itself is listed with its hash.
  void stream(HashingSource& in, const std::string& name, int depth) {
    std::string head = read_head(in, kSniffBytes);
    if (head.empty()) {
      hash_whole(listed(name), in);
      reject_file(name, "empty file");
      return;
    }
    std::string format = sniff_event_format(head);
    PrefixedSource replay(std::move(head), in);
    if (!format.empty()) {
      events(replay, in, name, format);
      return;
    }
    // Listed before its members, so the archive comes first in the custody list.
    const SourceId id = listed(name);
    try {
      if (depth >= options_.max_archive_nesting) {
        // Expand no further: only say which refusal applies (its bytes are still hashed below).
        const bool archive = looks_like_archive(read_head(replay, kSniffBytes));
        reject_file(name, archive ? "archive nested deeper than " + std::to_string(options_.max_archive_nesting) + " levels"
                                  : "not a recognised event format");
      } else {
        const bool was_archive = read_archive(
            replay, name, options_,
            [&](const std::string& member, ByteSource& data) {
              HashingSource hashed(data);
              stream(hashed, member, depth + 1);
            },
            [&](const std::string& item, const std::string& reason) { reject_file(item, reason); });
        if (was_archive) result_.sources[id].format = "archive";
        else reject_file(name, "not a recognised event format");
      }
    } catch (...) {
      hash_whole(id, in);
      throw;
    }
    hash_whole(id, in);
  }

  void events(ByteSource& replay, HashingSource& hashed, const std::string& name, const std::string& format) {
    const auto id = static_cast<SourceId>(result_.sources.size());
    result_.sources.push_back(SourceFile{name, SourceKind::Events, format, "", 0, ""});
    ++result_.files;
    const std::size_t before = result_.rejects.size();
    // The source entry is completed even when reading fails part-way: its events are already in.
    const auto seal = [&] {
      // A reader's reject located at `file` (a file that held no event at all) is a rejected file,
      // and its reason stays with the file in the custody list.
      for (std::size_t i = before; i < result_.rejects.size(); ++i) {
        const Reject& r = result_.rejects[i];
        if (r.location != "file") {
          ++result_.events_rejected;
          continue;
        }
        ++result_.files_rejected;
        SourceFile& file = result_.sources[id];
        file.error += (file.error.empty() ? "" : "; ") + r.reason;
      }
      hash_whole(id, hashed);
    };
    try {
      read_event_stream(replay, name, id, options_, deliver_, result_.rejects);
    } catch (...) {
      seal();
      throw;
    }
    seal();
  }

  const EventReadOptions options_;
  const std::function<void(std::uint64_t)>& on_bytes_read_;
  UnitResult& result_;
  const std::function<void(Event&&)>& deliver_;
};

// Folds finished units into the run, strictly in unit order, so the store, the source table and
// the rejects are the same whatever the number of jobs.
class UnitMerger {
 public:
  UnitMerger(const EventReadOptions& options, SourceTable& sources, EventStoreBuilder& builder, Rejects& rejects)
      : options_(options), sources_(sources), builder_(builder), rejects_(rejects) {}

  // The id the unit's local source 0 will get: sources are appended when the unit completes.
  SourceId base() const { return static_cast<SourceId>(sources_.all().size()); }

  void events(const PreparedBatch& batch, SourceId base) { builder_.add(batch, base); }

  void complete(UnitResult&& r, const InputUnit& unit) {
    for (auto& s : r.sources) sources_.add(std::move(s));
    rejects_.insert(rejects_.end(), std::make_move_iterator(r.rejects.begin()), std::make_move_iterator(r.rejects.end()));
    EventCounts& counts = builder_.counts();
    counts.files += r.files;
    counts.files_rejected += r.files_rejected;
    counts.rejected += r.events_rejected;
    if (options_.on_progress) options_.on_progress(unit.path, r.bytes_read);
  }

 private:
  const EventReadOptions& options_;
  SourceTable& sources_;
  EventStoreBuilder& builder_;
  Rejects& rejects_;
};

// --jobs N: units are read by N worker threads; their events come back in batches through a bounded
// queue per unit and are merged in unit order by the calling thread. A unit's worker waits when its
// queue is full, so memory stays bounded; the unit being merged always has a worker (units are
// handed out in order), so the wait always ends.
class ParallelUnits {
 public:
  ParallelUnits(const std::vector<InputUnit>& units, const EventReadOptions& options, int jobs)
      : units_(units), options_(options), slots_(units.size()) {
    const int n = std::max(1, std::min<int>(jobs, static_cast<int>(units.size())));
    for (int i = 0; i < n; ++i) workers_.emplace_back([this] { work(); });
  }

  ~ParallelUnits() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    for (auto& w : workers_) w.join();
  }

  // Merges every unit in order; rethrows a worker's failure.
  void merge_all(UnitMerger& merger) {
    for (std::size_t u = 0; u < units_.size(); ++u) {
      const SourceId base = merger.base();
      while (true) {
        std::unique_ptr<PreparedBatch> batch;
        {
          std::unique_lock<std::mutex> lock(mutex_);
          changed_.wait(lock, [&] { return !slots_[u].batches.empty() || slots_[u].done; });
          if (slots_[u].batches.empty()) break;
          batch = std::move(slots_[u].batches.front());
          slots_[u].batches.pop_front();
        }
        changed_.notify_all();
        merger.events(*batch, base);
        // Back to the readers with its capacity: batches are allocated once, not per handoff.
        batch->clear();
        std::lock_guard<std::mutex> lock(mutex_);
        spare_.push_back(std::move(batch));
      }
      if (slots_[u].failure) std::rethrow_exception(slots_[u].failure);
      merger.complete(std::move(slots_[u].result), units_[u]);
    }
  }

 private:
  // How far a reader may run ahead of the merge: 16 batches of up to 1,024 records (~200 KB each on
  // Security logs) hold a 120-day Security file whole, so the reader of the next file rarely waits;
  // batches of 4,096 records held ~10 MB more for nothing (bench/README.md, "Peak memory").
  static constexpr std::size_t kMaxQueuedBatches = 16;

  struct Slot {
    std::deque<std::unique_ptr<PreparedBatch>> batches;
    UnitResult result;
    std::exception_ptr failure;
    bool done = false;
  };

  void work() {
    Fingerprinter fingerprinter;
    while (true) {
      std::size_t u = 0;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (stopping_ || next_ >= units_.size()) return;
        u = next_++;
      }
      Slot& slot = slots_[u];
      std::unique_ptr<PreparedBatch> batch = std::make_unique<PreparedBatch>();
      auto push = [&] {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait(lock, [&] { return stopping_ || slot.batches.size() < kMaxQueuedBatches; });
        if (stopping_) throw Error::internal("event reading stopped");
        slot.batches.push_back(std::move(batch));
        if (!spare_.empty()) {
          batch = std::move(spare_.back());
          spare_.pop_back();
        }
        lock.unlock();
        changed_.notify_all();
        if (!batch) batch = std::make_unique<PreparedBatch>();
      };
      // The fingerprint and the spill encoding are done here, on the reader's thread: they are most
      // of the cost per event after parsing, and the merge runs on one thread.
      std::function<void(Event&&)> deliver = [&](Event&& e) {
        batch->add(std::move(e), fingerprinter);
        if (batch->full()) push();
      };
      UnitResult result;
      try {
        UnitReader(options_, result, deliver).read(units_[u]);
        if (!batch->empty()) push();
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex_);
        slot.failure = std::current_exception();
      }
      {
        std::lock_guard<std::mutex> lock(mutex_);
        slot.result = std::move(result);
        slot.done = true;
      }
      changed_.notify_all();
    }
  }

  const std::vector<InputUnit>& units_;
  const EventReadOptions& options_;
  std::vector<Slot> slots_;
  std::vector<std::unique_ptr<PreparedBatch>> spare_;  // merged batches, emptied, for the readers to refill
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::size_t next_ = 0;
  bool stopping_ = false;
};

}  // namespace

void read_event_inputs(const std::vector<std::string>& paths, const EventReadOptions& options,
                       SourceTable& sources, IngestedEvents& events, Rejects& rejects) {
  InputWalk walk;
  for (const auto& path : paths) walk.top_level(path);
  if (options.on_plan) {
    EventInputPlan plan;
    plan.files = walk.units.size();
    for (const auto& unit : walk.units) plan.bytes += unit.bytes;
    options.on_plan(plan);
  }
  UnitMerger merger(options, sources, events.builder(), rejects);
  if (options.jobs <= 1 || walk.units.size() <= 1) {
    Fingerprinter fingerprinter;
    PreparedBatch batch;
    for (const auto& unit : walk.units) {
      const SourceId base = merger.base();
      UnitResult result;
      // Batched as under --jobs, so both paths store the same records the same way.
      const std::function<void(Event&&)> deliver = [&](Event&& e) {
        batch.add(std::move(e), fingerprinter);
        if (batch.full()) {
          merger.events(batch, base);
          batch.clear();
        }
      };
      try {
        UnitReader(options, result, deliver).read(unit);
      } catch (...) {
        batch.clear();
        throw;
      }
      merger.events(batch, base);
      batch.clear();
      merger.complete(std::move(result), unit);
    }
  } else {
    ParallelUnits(walk.units, options, options.jobs).merge_all(merger);
  }
}

void read_event_inputs(const std::vector<std::string>& paths, const EventReadOptions& options,
                       SourceTable& sources, EventStore& store, Rejects& rejects) {
  IngestedEvents events(options.spill_dir);
  read_event_inputs(paths, options, sources, events, rejects);
  std::mutex mutex;
  events.for_each_host(options.jobs, [&](HostEvents&& he) {
    std::lock_guard<std::mutex> lock(mutex);
    std::string name = he.host;
    store.hosts.insert_or_assign(std::move(name), std::move(he));
  });
  store.counts = events.counts();
  store.conflicts = events.conflicts();
}

}  // namespace flexrecon
