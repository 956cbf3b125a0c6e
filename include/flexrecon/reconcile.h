// `flexrecon reconcile`: the whole pipeline, as a flat list of stages (see reconcile.cpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "flexrecon/event_store.h"
#include "flexrecon/findings.h"
#include "flexrecon/metering.h"
#include "flexrecon/reference_data.h"
#include "flexrecon/timeline.h"

namespace flexrecon {

struct ReconcileOptions {
  std::vector<std::string> metering;
  std::vector<std::string> events;
  std::vector<std::string> stores;  // --store: case stores written by `flexrecon ingest`
  std::vector<std::string> inventory;
  std::string identities;
  std::string rules_dir;       // empty: the shipped rules/ folder
  std::string rates;           // --rates FILE replacing the folder's sheet
  std::optional<BillingModel> billing_model;
  std::string billing_tz;      // empty: from settings
  std::string metering_tz;
  std::string events_tz;       // zone of SIEM event times written without one (NXLog EventTime); empty: none
  std::optional<Confidence> min_confidence;
  std::optional<double> entitlement;
  std::optional<double> token_price;
  std::optional<double> list_price;
  std::string as_of;           // --as-of, as given (recorded in the manifest); empty: none
  int jobs = 1;
  std::string spill_dir;       // where events wait on disk for their host's turn; empty: $TMPDIR or /tmp
  std::string out;
  bool force = false;
  bool quiet = false;          // --quiet: the CLI shows no progress (reconcile() shows only what its reporter does)
  std::vector<std::string> command_line;  // argv, for the manifest
};

// Everything a run established; the pack is written from this alone.
struct ReconcileResult {
  ReconcileOptions options;
  SourceTable sources;
  RulesFolder rules;
  IdentityMap identities;
  std::vector<MeteringFile> metering_files;
  std::vector<MeteringRow> rows;
  std::vector<InventoryFile> inventory_files;
  std::vector<InventoryRow> inventory;
  EventStore events;
  Timelines timelines;
  RuleResults results;
  Rejects rejects;
};

class ProgressReporter;  // src/cli/progress.h: the terminal display, fed stage by stage

// Reads the inputs and applies the rules; throws Error for usage and unusable inputs. `progress`
// (optional) is told each stage and how far it has gone; without it nothing is shown.
ReconcileResult reconcile(const ReconcileOptions& options, ProgressReporter* progress = nullptr);

// The shipped rules/ and templates/ folders: next to the binary's share dir when installed, else the
// source tree's.
std::string default_rules_dir();
std::string default_templates_dir();

}  // namespace flexrecon
