// The event inputs as units of reading: a top-level file as the directory walk yields it (an archive
// with all its members), in the one canonical order every run and every case store agrees on, and the
// machinery that reads units (in parallel under --jobs) and hands each one, in that order, to a sink:
// the run's spill (read_event_inputs) or a case store (src/store, `flexrecon ingest`).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "flexrecon/event_store.h"
#include "ingest/event_store_builder.h"

namespace flexrecon {

// One thing to read, found by walking the command line's paths: a file (plain or archive) or a
// refusal decided by the walk itself (a FIFO, a link to a directory...).
struct InputUnit {
  std::string path;
  std::string refusal;      // non-empty: reject the path with this reason, read nothing
  std::uint64_t bytes = 0;  // size on disk (stat), for the progress plan
};

// The canonical order of units: paths compared component by component ('/'-separated, bytewise),
// which is exactly the order a directory walk yields them in, so naming inputs in another order, or
// splitting them across case stores, never changes the order they are read in. True when a < b.
bool unit_path_less(std::string_view a, std::string_view b);

// Walks the paths (directories recursively, symlinks given on the command line followed) into units,
// in canonical order; units of one path keep the order they were named in (stable).
std::vector<InputUnit> walk_event_inputs(const std::vector<std::string>& paths);

// What reading one unit produced besides its events. Source ids in events are local to the unit
// (0, 1, ... in `sources` order; 0 is the unit's file itself) until the unit is merged.
struct UnitResult {
  std::vector<SourceFile> sources;
  Rejects rejects;
  std::uint64_t files = 0;
  std::uint64_t files_rejected = 0;
  std::uint64_t events_rejected = 0;
  std::uint64_t bytes_read = 0;  // from disk: the file itself, compressed when an archive
};

// Where read units go. wanted() runs on a reading thread; the rest on the merging thread, a unit at
// a time in unit order: begin(), its batches through events(), then complete(); or skipped() alone
// for a unit wanted() declined.
class UnitSink {
 public:
  virtual ~UnitSink() = default;
  // Before unit `index` is read, on the thread that would read it (so must be thread-safe for
  // different units): false leaves it unread.
  virtual bool wanted(std::size_t /*index*/, const InputUnit& /*unit*/) { return true; }
  // The id the unit's local source 0 gets: batches' source ids are shifted by it.
  virtual SourceId begin(std::size_t index, const InputUnit& unit) = 0;
  virtual void events(const PreparedBatch& batch, SourceId base) = 0;
  virtual void complete(std::size_t index, const InputUnit& unit, UnitResult&& result) = 0;
  virtual void skipped(std::size_t /*index*/, const InputUnit& /*unit*/) {}
};

// Reads every unit (options.jobs threads) into `sink`, in unit order. options.on_progress is called
// once per unit, in order, done or skipped. Never throws for bad content.
void read_units(const std::vector<InputUnit>& units, const EventReadOptions& options, UnitSink& sink);

}  // namespace flexrecon
