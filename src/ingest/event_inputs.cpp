// read_event_inputs: walks files, directories and archives, registers every event source, and feeds
// the events into the store.
#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <map>
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
#include "ingest/input_units.h"
#include "util/parallel.h"
#include "util/sha256.h"

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


// --jobs N: units are read by N worker threads; their events come back in batches through a bounded
// queue per unit and are merged in unit order by the calling thread. A unit's worker waits when its
// queue is full, so memory stays bounded; the unit being merged always has a worker (units are
// handed out in order), so the wait always ends.
class ParallelUnits {
 public:
  ParallelUnits(const std::vector<InputUnit>& units, const EventReadOptions& options, UnitSink& sink, int jobs)
      : units_(units), options_(options), sink_(sink), slots_(units.size()) {
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
  void merge_all() {
    for (std::size_t u = 0; u < units_.size(); ++u) {
      {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait(lock, [&] { return slots_[u].decided; });
      }
      if (slots_[u].skipped) {
        sink_.skipped(u, units_[u]);
        if (options_.on_progress) options_.on_progress(units_[u].path, units_[u].bytes);
        continue;
      }
      const SourceId base = sink_.begin(u, units_[u]);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        merging_ = u;  // its reader may now queue past the bound on reading ahead
      }
      changed_.notify_all();
      while (true) {
        std::unique_ptr<PreparedBatch> batch;
        {
          std::unique_lock<std::mutex> lock(mutex_);
          changed_.wait(lock, [&] { return !slots_[u].batches.empty() || slots_[u].done; });
          if (slots_[u].batches.empty()) break;
          batch = std::move(slots_[u].batches.front());
          slots_[u].batches.pop_front();
          --queued_;
        }
        changed_.notify_all();
        sink_.events(*batch, base);
        // Back to the readers with its capacity: batches are allocated once, not per handoff.
        batch->clear();
        std::lock_guard<std::mutex> lock(mutex_);
        spare_.push_back(std::move(batch));
      }
      if (slots_[u].failure) std::rethrow_exception(slots_[u].failure);
      const std::uint64_t bytes = slots_[u].result.bytes_read;
      sink_.complete(u, units_[u], std::move(slots_[u].result));
      if (options_.on_progress) options_.on_progress(units_[u].path, bytes);
    }
  }

 private:
  // How far a reader may run ahead of the merge: 16 batches of up to 1,024 records (~200-300 KB each
  // on Security logs) hold a 120-day Security file whole, so the reader of the next file rarely
  // waits; batches of 4,096 records held ~10 MB more for nothing (bench/README.md, "Peak memory").
  static constexpr std::size_t kMaxQueuedBatches = 16;
  // And over all the units not yet being merged together: without it a reader finishing small files
  // (a host's System and LocalSessionManager logs) went on to the next units while the merge was
  // still on a long Security log, each unit queuing up to kMaxQueuedBatches: 74 batches, 21 MB, on
  // 100 hosts x 120 days with the merge thread short of CPU. The unit being merged is exempt, so
  // the merge always has batches coming and a reader waiting here always gets its turn.
  static constexpr std::size_t kMaxQueuedAhead = 16;

  struct Slot {
    std::deque<std::unique_ptr<PreparedBatch>> batches;
    UnitResult result;
    std::exception_ptr failure;
    bool decided = false;  // wanted() has answered
    bool skipped = false;
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
      bool want = true;
      try {
        want = sink_.wanted(u, units_[u]);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex_);
        slot.failure = std::current_exception();
      }
      {
        std::lock_guard<std::mutex> lock(mutex_);
        slot.decided = true;
        slot.skipped = !want;
        if (!want || slot.failure) slot.done = true;
      }
      changed_.notify_all();
      if (!want || slot.done) continue;
      std::unique_ptr<PreparedBatch> batch = std::make_unique<PreparedBatch>();
      auto push = [&] {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait(lock, [&] {
          return stopping_ || (slot.batches.size() < kMaxQueuedBatches &&
                               (u == merging_ || queued_ - slots_[merging_].batches.size() < kMaxQueuedAhead));
        });
        if (stopping_) throw Error::internal("event reading stopped");
        slot.batches.push_back(std::move(batch));
        ++queued_;
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
        batch->add(e, fingerprinter, options_.content_fingerprints);
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
  UnitSink& sink_;
  std::vector<Slot> slots_;
  std::vector<std::unique_ptr<PreparedBatch>> spare_;  // merged batches, emptied, for the readers to refill
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::size_t next_ = 0;
  std::size_t merging_ = 0;  // the unit merge_all takes batches from
  std::size_t queued_ = 0;   // batches waiting in all slots
  bool stopping_ = false;
};

// The key a unit is ranked by: its path's components, then (only between units of one path) the
// SHA-256 of its content.
std::vector<std::string_view> path_components(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = path.find('/', start);
    parts.push_back(path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) return parts;
    start = slash + 1;
  }
}

// A run's own sink: units read go to the builder's spill and the run's tables; units of case stores
// are replayed in their place, before the first unit read that ranks after them.
class RunMerger : public UnitSink {
 public:
  // `stored[k]`: the stored units to replay before read unit k (k = units read: after the last).
  RunMerger(SourceTable& sources, EventStoreBuilder& builder, Rejects& rejects,
            std::vector<std::vector<std::pair<const StoredUnits*, const StoredUnit*>>> stored)
      : sources_(sources), builder_(builder), rejects_(rejects), stored_(std::move(stored)) {}

  SourceId begin(std::size_t index, const InputUnit&) override {
    replay_before(index);
    const auto base = static_cast<SourceId>(sources_.all().size());
    places_.push_back({index, base, builder_.next_seq(), 0});
    return base;
  }
  void events(const PreparedBatch& batch, SourceId base) override { builder_.add(batch, base); }
  void complete(std::size_t, const InputUnit&, UnitResult&& r) override {
    places_.back().records = builder_.next_seq() - places_.back().seq_base;
    for (auto& s : r.sources) sources_.add(std::move(s));
    rejects_.insert(rejects_.end(), std::make_move_iterator(r.rejects.begin()), std::make_move_iterator(r.rejects.end()));
    EventCounts& counts = builder_.counts();
    counts.files += r.files;
    counts.files_rejected += r.files_rejected;
    counts.rejected += r.events_rejected;
  }
  void skipped(std::size_t index, const InputUnit&) override { replay_before(index); }
  // The stored units ranked after every unit read.
  void finish() { replay_before(stored_.size() - 1); }

  // Where each unit read sits in the run: its index, the id of its first source, the seq of its
  // first record and how many records it gave.
  struct Place {
    std::size_t index;
    SourceId source_base;
    std::uint64_t seq_base;
    std::uint64_t records;
  };
  const std::vector<Place>& places() const { return places_; }

 private:
  // Everything reading the unit gave, as reading it would have added it.
  void replay_before(std::size_t index) {
    for (const auto& [store, unit] : stored_[index]) {
      const auto base = static_cast<SourceId>(sources_.all().size());
      for (const SourceFile& s : unit->sources) sources_.add(s);
      rejects_.insert(rejects_.end(), unit->rejects.begin(), unit->rejects.end());
      builder_.add_stored(*store, *unit, base);
      EventCounts& counts = builder_.counts();
      counts.files += unit->files;
      counts.files_rejected += unit->files_rejected;
      counts.rejected += unit->events_rejected;
    }
    stored_[index].clear();
  }

  SourceTable& sources_;
  EventStoreBuilder& builder_;
  Rejects& rejects_;
  std::vector<std::vector<std::pair<const StoredUnits*, const StoredUnit*>>> stored_;
  std::vector<Place> places_;
};

// What a progress display counts to for reading `units`, and `again` of them a second time.
EventInputPlan plan_of(const std::vector<InputUnit>& units, const std::vector<std::size_t>& again = {}) {
  EventInputPlan plan;
  plan.files = units.size() + again.size();
  for (const InputUnit& unit : units) plan.bytes += unit.bytes;
  for (const std::size_t index : again) plan.bytes += units[index].bytes;
  return plan;
}

// A direct run reads its files without the content fingerprints (about an eighth of reading's CPU
// time): a fingerprint only tells two copies of one (host, channel, EventRecordID) apart, and copies
// can only meet where a pair's ids did not only rise in input order (EventStoreBuilder watches
// them). The files that gave such a pair records are read again here, and their records of it
// fingerprinted, before any host is assembled. Files are read again only where logs overlap (the
// same records sent twice, exports of overlapping periods), and a file whose bytes changed since the
// first reading stops the run: its records would no longer be the ones its hash vouches for.
void fingerprint_where_copies_meet(const std::vector<InputUnit>& units, const std::vector<RunMerger::Place>& places,
                                   const EventReadOptions& options, const SourceTable& sources, EventStoreBuilder& builder) {
  const std::vector<SourceId> wanted = builder.units_to_fingerprint();
  if (wanted.empty()) return;
  // Files with the same bytes give the same records in the same order: one of them is read again
  // and its fingerprints given to the others' records at the same places (a batch sent twice is read
  // a third time, not a fourth).
  struct Reading {
    const RunMerger::Place* place;
    std::vector<const RunMerger::Place*> copies;
  };
  std::vector<Reading> todo;
  std::map<std::pair<std::string, std::uint64_t>, std::size_t> by_content;  // (SHA-256, records) -> todo index
  for (const RunMerger::Place& p : places) {
    if (!std::binary_search(wanted.begin(), wanted.end(), p.source_base)) continue;
    const std::string& sha256 = sources.all()[p.source_base].sha256;
    if (!sha256.empty()) {
      const auto [at, added] = by_content.try_emplace({sha256, p.records}, todo.size());
      if (!added) {
        todo[at->second].copies.push_back(&p);
        continue;
      }
    }
    todo.push_back({&p, {}});
  }
  // The display's plan grows by the files read again, so the reading stage counts them too.
  if (options.on_plan) {
    std::vector<std::size_t> again;
    for (const Reading& r : todo) again.push_back(r.place->index);
    options.on_plan(plan_of(units, again));
  }
  // Read again with every field and every fingerprint, whatever the first reading left out.
  EventReadOptions full = options;
  full.content_fingerprints = true;

  struct Found {
    std::uint32_t bucket;
    std::uint64_t seq;
    Fingerprint fingerprint;
  };
  // Per thread: its fingerprinter, and fingerprints found and not yet handed to the builder.
  const auto threads = static_cast<std::size_t>(std::max(options.jobs, 1));
  std::vector<Fingerprinter> fingerprinters(threads);
  std::vector<std::vector<Found>> found(threads);
  std::mutex mutex;  // the builder's fingerprint files, and the progress display
  const auto hand_over = [&](std::vector<Found>& mine) {
    std::lock_guard<std::mutex> lock(mutex);
    for (const Found& f : mine) builder.add_fingerprint(f.bucket, f.seq, f.fingerprint);
    mine.clear();
  };
  for_each_in_parallel(todo.size(), threads, [&](std::size_t item, std::size_t worker) {
    const Reading& reading = todo[item];
    const RunMerger::Place& place = *reading.place;
    const InputUnit& unit = units[place.index];
    std::vector<Found>& mine = found[worker];
    std::uint64_t k = 0;
    const std::function<void(Event&&)> deliver = [&](Event&& e) {
      const std::uint64_t at = k++;
      if (e.record_id == 0 || !builder.needs_fingerprint(e.host, e.channel_name)) return;
      const std::uint32_t bucket = RecordSpill::bucket_of(e.host);
      const Fingerprint fingerprint = fingerprinters[worker].of(e);
      mine.push_back({bucket, place.seq_base + at, fingerprint});
      for (const RunMerger::Place* copy : reading.copies) mine.push_back({bucket, copy->seq_base + at, fingerprint});
      if (mine.size() >= 4096) hand_over(mine);
    };
    UnitResult result;
    UnitReader(full, result, deliver).read(unit);
    bool same = k == place.records && place.source_base + result.sources.size() <= sources.all().size();
    for (std::size_t i = 0; same && i < result.sources.size(); ++i) {
      const SourceFile& before = sources.all()[place.source_base + i];
      same = before.name == result.sources[i].name && before.sha256 == result.sources[i].sha256 &&
             before.size == result.sources[i].size;
    }
    if (!same)
      throw Error::input(unit.path + ": changed while this run was reading it (read again for the fingerprints of "
                         "records that have copies, it no longer gave the same bytes): run again once it is settled");
    hand_over(mine);
    if (options.on_progress) {
      std::lock_guard<std::mutex> lock(mutex);
      options.on_progress(unit.path, result.bytes_read);
    }
  });
}

// The SHA-256 of a unit read directly, for ranking it against a stored unit of the same path ("" when
// it cannot be read: it then ranks first, and reading it reports why).
std::string content_hash(const InputUnit& unit) {
  if (!unit.refusal.empty()) return "";
  try {
    return sha256_file(unit.path);
  } catch (const std::exception&) {
    return "";
  }
}

}  // namespace

bool unit_path_less(std::string_view a, std::string_view b) {
  const auto pa = path_components(a);
  const auto pb = path_components(b);
  return std::lexicographical_compare(pa.begin(), pa.end(), pb.begin(), pb.end());
}

std::vector<InputUnit> walk_event_inputs(const std::vector<std::string>& paths) {
  InputWalk walk;
  for (const auto& path : paths) walk.top_level(path);
  std::stable_sort(walk.units.begin(), walk.units.end(),
                   [](const InputUnit& a, const InputUnit& b) { return unit_path_less(a.path, b.path); });
  return std::move(walk.units);
}

void read_units(const std::vector<InputUnit>& units, const EventReadOptions& options, UnitSink& sink) {
  if (options.on_plan) options.on_plan(plan_of(units));
  if (options.jobs > 1 && units.size() > 1) {
    ParallelUnits(units, options, sink, options.jobs).merge_all();
    return;
  }
  Fingerprinter fingerprinter;
  PreparedBatch batch;
  for (std::size_t u = 0; u < units.size(); ++u) {
    const InputUnit& unit = units[u];
    if (!sink.wanted(u, unit)) {
      sink.skipped(u, unit);
      if (options.on_progress) options.on_progress(unit.path, unit.bytes);
      continue;
    }
    const SourceId base = sink.begin(u, unit);
    UnitResult result;
    // Batched as under --jobs, so both paths store the same records the same way.
    const std::function<void(Event&&)> deliver = [&](Event&& e) {
      batch.add(e, fingerprinter, options.content_fingerprints);
      if (batch.full()) {
        sink.events(batch, base);
        batch.clear();
      }
    };
    try {
      UnitReader(options, result, deliver).read(unit);
    } catch (...) {
      batch.clear();
      throw;
    }
    sink.events(batch, base);
    batch.clear();
    const std::uint64_t bytes = result.bytes_read;
    sink.complete(u, unit, std::move(result));
    if (options.on_progress) options.on_progress(unit.path, bytes);
  }
}

void read_event_inputs(const std::vector<std::string>& paths, const std::vector<const StoredUnits*>& stores,
                       const EventReadOptions& options, SourceTable& sources, IngestedEvents& events,
                       Rejects& rejects) {
  std::vector<InputUnit> units = walk_event_inputs(paths);

  // Rank every stored unit among the units read: (path components, SHA-256). A unit read needs its
  // hash only when a stored unit has its path (the same file named again, or changed since).
  struct Ranked {
    std::string_view path;
    std::string_view sha256;
    const StoredUnits* store;
    const StoredUnit* unit;
  };
  std::vector<Ranked> stored;
  for (const StoredUnits* store : stores)
    for (const StoredUnit& unit : store->units()) stored.push_back({unit.path, unit.sha256, store, &unit});
  const auto ranked_less = [](std::string_view pa, std::string_view sa, std::string_view pb, std::string_view sb) {
    if (unit_path_less(pa, pb)) return true;
    if (unit_path_less(pb, pa)) return false;
    return sa < sb;
  };
  std::stable_sort(stored.begin(), stored.end(),
                   [&](const Ranked& a, const Ranked& b) { return ranked_less(a.path, a.sha256, b.path, b.sha256); });
  std::vector<std::string> hashes(units.size());
  std::vector<std::vector<std::pair<const StoredUnits*, const StoredUnit*>>> before(units.size() + 1);
  std::size_t k = 0;
  for (const Ranked& s : stored) {
    // The first unit read that ranks after s (a tie of path and hash: the stored copy goes after).
    while (k < units.size()) {
      const InputUnit& u = units[k];
      if (unit_path_less(s.path, u.path)) break;
      if (!unit_path_less(u.path, s.path)) {
        if (hashes[k].empty()) hashes[k] = content_hash(u);
        if (s.sha256 < hashes[k]) break;
      }
      ++k;
    }
    before[k].emplace_back(s.store, s.unit);
  }

  // A run with case stores takes every fingerprint while reading: a stored record's copy may be in
  // any file read, and the stores' ids are not watched (their records are read at assembly).
  EventReadOptions reading = options;
  reading.content_fingerprints = !stores.empty();
  RunMerger merger(sources, events.builder(), rejects, std::move(before));
  read_units(units, reading, merger);
  merger.finish();
  if (!reading.content_fingerprints) fingerprint_where_copies_meet(units, merger.places(), options, sources, events.builder());
}

void read_event_inputs(const std::vector<std::string>& paths, const EventReadOptions& options,
                       SourceTable& sources, IngestedEvents& events, Rejects& rejects) {
  read_event_inputs(paths, {}, options, sources, events, rejects);
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
