// The library stages' optional progress callbacks, wired to a ProgressReporter. When the reporter is
// disabled the callbacks stay unset, so a run that shows nothing pays nothing for them.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "cli/progress.h"
#include "flexrecon/event_store.h"

namespace flexrecon {

// Event reading: the walk's plan (files, bytes on disk), bytes as they are read (from every reading
// thread), and each input file done.
void report_event_reading(ProgressReporter& progress, EventReadOptions& options);

// Session rebuilding: one host done (build_timelines' on_host_done).
std::function<void(std::size_t hosts_done)> report_hosts_done(ProgressReporter& progress);

// Pack writing: one of its files written (PackOptions::on_file_written).
std::function<void(const std::string& file)> report_pack_files(ProgressReporter& progress);

}  // namespace flexrecon
