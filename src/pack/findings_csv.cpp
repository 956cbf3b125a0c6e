#include "pack/findings_csv.h"

#include "pack/csv.h"
#include "pack/evidence_index.h"
#include "util/strings.h"

namespace flexrecon {

std::string findings_csv(const ReconcileResult& result) {
  std::string out = csv_line({"finding_id", "status", "rule", "confidence", "metering_record_id", "user", "host",
                              "product", "version", "charge_start_utc", "tokens_billed", "tokens_challenged",
                              "other_rules", "reason", "evidence"});
  static const MeteringRow kNoRow;  // a finding pointing past the rows still gets its line
  for (const Finding& f : result.results.findings) {
    const MeteringRow& row = f.row < result.rows.size() ? result.rows[f.row] : kNoRow;
    std::vector<std::string> refs;
    for (const EvidenceRef& ref : f.evidence) refs.push_back(format_ref_safe(result.sources, ref));
    out += csv_line({
        f.id,
        std::string(status_name(f.status)),
        f.rule,
        std::string(confidence_name(f.confidence)),
        row.record_id,
        row.user_raw,  // as the audit wrote it: the reader matches it against their export
        row.host_raw.empty() ? row.host : row.host_raw,
        row.product_code.empty() ? row.product_name : row.product_code,
        row.version,
        row.start ? format_utc(*row.start) : "",
        format_tokens(row.tokens),
        format_tokens(f.tokens_challenged),
        join(f.other_rules, ";"),
        f.reason,
        join(refs, ";"),
    });
  }
  return out;
}

std::string rejects_csv(const ReconcileResult& result) {
  std::string out = csv_line({"source", "location", "reason"});
  for (const Reject& r : result.rejects) out += csv_line({r.source, r.location, r.reason});
  return out;
}

}  // namespace flexrecon
