#include "cli/progress_hooks.h"

namespace flexrecon {

void report_event_reading(ProgressReporter& progress, EventReadOptions& options) {
  if (!progress.enabled()) return;
  options.on_plan = [&progress](const EventInputPlan& plan) { progress.plan(plan.files, plan.bytes); };
  // Bytes come from the reading threads as they read; files from the merge, once each is done.
  options.on_bytes_read = [&progress](std::uint64_t bytes) { progress.advance(0, bytes); };
  options.on_progress = [&progress](const std::string&, std::uint64_t) { progress.advance(1); };
}

std::function<void(std::size_t hosts_done)> report_hosts_done(ProgressReporter& progress) {
  if (!progress.enabled()) return {};
  return [&progress, seen = std::size_t{0}](std::size_t hosts_done) mutable {
    progress.advance(hosts_done - seen);
    seen = hosts_done;
  };
}

std::function<void(const std::string& file)> report_pack_files(ProgressReporter& progress) {
  if (!progress.enabled()) return {};
  return [&progress](const std::string&) { progress.advance(1); };
}

}  // namespace flexrecon
