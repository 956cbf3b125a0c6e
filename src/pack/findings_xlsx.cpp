#include "pack/findings_xlsx.h"

#include <xlsxwriter.h>

#include <cstdio>
#include <memory>

#include "pack/evidence_index.h"
#include "pack/totals.h"
#include "util/strings.h"

namespace flexrecon {

namespace {

// Excel refuses a cell over 32,767 characters; bytes are a safe upper bound for characters.
constexpr std::size_t kMaxCellBytes = 32000;

// Text a cell can hold: XML 1.0 cannot carry most control characters (Excel would call the file
// corrupt), and an over-long text is cut at a character boundary with a pointer to the full one.
std::string cell_text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    out.push_back(u < 0x20 && c != '\t' && c != '\n' && c != '\r' ? ' ' : c);
  }
  if (!is_valid_utf8(out)) out = repair_utf8(out);
  if (out.size() > kMaxCellBytes) {
    std::size_t cut = kMaxCellBytes;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
    out.resize(cut);
    out += " [cut: the full text is in findings.csv]";
  }
  return out;
}

lxw_datetime excel_time(Instant t) {
  const std::string s = format_utc(t);  // YYYY-MM-DDTHH:MM:SSZ
  lxw_datetime d{};
  int sec = 0;
  std::sscanf(s.c_str(), "%d-%d-%dT%d:%d:%d", &d.year, &d.month, &d.day, &d.hour, &d.min, &sec);
  d.sec = sec + static_cast<double>(((t % kSecond) + kSecond) % kSecond) / kSecond;
  return d;
}

class Workbook {
 public:
  Workbook(const std::string& path, time_t created) : path_(path) {
    lxw_workbook_options options{};
    options.constant_memory = LXW_FALSE;
    book_ = workbook_new_opt(path.c_str(), &options);
    if (!book_) throw Error::internal("cannot create '" + path + "'");
    lxw_doc_properties props{};
    props.title = const_cast<char*>("flexrecon findings");
    props.created = created;
    check(workbook_set_properties(book_, &props));
    bold_ = workbook_add_format(book_);
    format_set_bold(bold_);
    date_ = workbook_add_format(book_);
    format_set_num_format(date_, "yyyy-mm-dd hh:mm:ss");
    tokens_ = workbook_add_format(book_);
    format_set_num_format(tokens_, "0.0#####");
    money_ = workbook_add_format(book_);
    format_set_num_format(money_, "#,##0.00");
  }
  ~Workbook() {
    if (book_) workbook_close(book_);
  }

  lxw_worksheet* sheet(const char* name) { return workbook_add_worksheet(book_, name); }

  void text(lxw_worksheet* s, int row, int col, std::string_view v, lxw_format* f = nullptr) {
    // worksheet_write_string: shown as text, never evaluated, whatever the text starts with.
    check(worksheet_write_string(s, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(col), cell_text(v).c_str(), f));
  }
  void number(lxw_worksheet* s, int row, int col, double v, lxw_format* f) {
    check(worksheet_write_number(s, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(col), v, f));
  }
  void time(lxw_worksheet* s, int row, int col, Instant t) {
    lxw_datetime d = excel_time(t);
    check(worksheet_write_datetime(s, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(col), &d, date_));
  }

  void close() {
    lxw_workbook* b = book_;
    book_ = nullptr;
    const lxw_error e = workbook_close(b);
    if (e != LXW_NO_ERROR) throw Error::internal("cannot write '" + path_ + "': " + lxw_strerror(e));
  }

  lxw_format* bold_ = nullptr;
  lxw_format* date_ = nullptr;
  lxw_format* tokens_ = nullptr;
  lxw_format* money_ = nullptr;

 private:
  void check(lxw_error e) const {
    if (e != LXW_NO_ERROR) throw Error::internal("writing '" + path_ + "': " + lxw_strerror(e));
  }

  std::string path_;
  lxw_workbook* book_ = nullptr;
};

void findings_sheet(Workbook& w, const ReconcileResult& result) {
  lxw_worksheet* s = w.sheet("Findings");
  const std::vector<std::pair<const char*, double>> columns = {
      {"finding_id", 10}, {"status", 20},  {"rule", 18},          {"confidence", 11},      {"metering_record_id", 20},
      {"user", 24},       {"host", 14},    {"product", 9},        {"version", 8},          {"charge_start_utc", 20},
      {"tokens_billed", 13}, {"tokens_challenged", 17}, {"other_rules", 20}, {"reason", 80}, {"evidence", 60}};
  for (std::size_t c = 0; c < columns.size(); ++c) {
    w.text(s, 0, static_cast<int>(c), columns[c].first, w.bold_);
    worksheet_set_column(s, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), columns[c].second, nullptr);
  }
  static const MeteringRow kNoRow;
  int row = 0;
  for (const Finding& f : result.results.findings) {
    ++row;
    const MeteringRow& m = f.row < result.rows.size() ? result.rows[f.row] : kNoRow;
    std::vector<std::string> refs;
    for (const EvidenceRef& ref : f.evidence) refs.push_back(format_ref_safe(result.sources, ref));
    w.text(s, row, 0, f.id);
    w.text(s, row, 1, status_name(f.status));
    w.text(s, row, 2, f.rule);
    w.text(s, row, 3, confidence_name(f.confidence));
    w.text(s, row, 4, m.record_id);
    w.text(s, row, 5, m.user_raw);
    w.text(s, row, 6, m.host_raw.empty() ? m.host : m.host_raw);
    w.text(s, row, 7, m.product_code.empty() ? m.product_name : m.product_code);
    w.text(s, row, 8, m.version);
    if (m.start) w.time(s, row, 9, *m.start);
    w.number(s, row, 10, round_tokens(m.tokens), w.tokens_);
    w.number(s, row, 11, round_tokens(f.tokens_challenged), w.tokens_);
    w.text(s, row, 12, join(f.other_rules, ";"));
    w.text(s, row, 13, f.reason);
    w.text(s, row, 14, join(refs, ";"));
  }
  worksheet_freeze_panes(s, 1, 0);
  worksheet_autofilter(s, 0, 0, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(columns.size() - 1));
}

void summary_sheet(Workbook& w, const ReconcileResult& result) {
  const PackTotals t = compute_totals(result);
  lxw_worksheet* s = w.sheet("Summary");
  worksheet_set_column(s, 0, 0, 44, nullptr);
  worksheet_set_column(s, 1, 1, 16, nullptr);
  int row = 0;
  w.text(s, row, 0, "figure", w.bold_);
  w.text(s, row, 1, "value", w.bold_);
  const auto count = [&](const std::string& label, double v) {
    ++row;
    w.text(s, row, 0, label);
    w.number(s, row, 1, v, nullptr);
  };
  const auto tokens = [&](const std::string& label, double v) {
    ++row;
    w.text(s, row, 0, label);
    w.number(s, row, 1, round_tokens(v), w.tokens_);
  };
  const auto money = [&](const std::string& label, double v) {
    ++row;
    w.text(s, row, 0, label);
    w.number(s, row, 1, round_money(v), w.money_);
  };
  if (!result.options.as_of.empty()) {
    ++row;
    w.text(s, row, 0, "as of");
    w.text(s, row, 1, result.options.as_of);
  }
  count("metering rows", static_cast<double>(t.metering_rows));
  count("metering rows accepted", static_cast<double>(t.metering_accepted));
  count("metering rows rejected", static_cast<double>(t.metering_rejected));
  count("charges", static_cast<double>(t.charges));
  count("hosts", static_cast<double>(t.hosts));
  count("sessions", static_cast<double>(t.sessions));
  tokens("tokens billed", t.billed);
  tokens("tokens challenged", t.challenged);
  for (const auto& [rule, amount] : t.challenged_by_rule) tokens("tokens challenged: " + rule, amount);
  tokens("tokens with insufficient evidence", t.insufficient_evidence);
  tokens("tokens remaining", t.remaining);
  if (t.entitlement) {
    tokens("entitlement (tokens bought)", *t.entitlement);
    tokens("shortfall before the challenge (tokens)", t.shortfall_before);
    tokens("shortfall after the challenge (tokens)", t.shortfall_after);
  }
  const auto priced = [&](const std::optional<double>& price, const std::string& what) {
    if (!price) return;
    money(what + ": price per token (USD)", *price);
    money(what + ": value of the tokens challenged (USD)", t.challenged * *price);
    if (t.entitlement) {
      money(what + ": shortfall before (USD)", t.shortfall_before * *price);
      money(what + ": shortfall after (USD)", t.shortfall_after * *price);
    }
  };
  priced(t.list_price, "at list price");
  priced(t.token_price, "at token price");
  worksheet_freeze_panes(s, 1, 0);
}

}  // namespace

void write_findings_xlsx(const ReconcileResult& result, const std::string& path) {
  // 1980-01-01: the earliest time a zip entry can hold, and no run's wall clock.
  time_t created = 315532800;
  if (const auto as_of = parse_timestamp(result.options.as_of)) created = static_cast<time_t>(*as_of / kSecond);
  Workbook w(path, created);
  findings_sheet(w, result);
  summary_sheet(w, result);
  w.close();
}

}  // namespace flexrecon
