// Product rules (SPEC 3.3, audit category 3): what was billed against what the customer's own
// deployment inventory says was installed on the host, priced with the rate sheet.
//  - misclassification: billed product P not installed, a cheaper sibling Q of its family is
//    (challenge billed - rate(Q)), or no product of the family is installed at all (challenge in full);
//  - rate-mismatch: P installed (or the host has no inventory) and billed above rate(P): the excess;
//  - version-mismatch: P installed in another version only: a note, never a challenge.
// What the rules cannot judge they say so, and never challenge: a billed code the catalog does not
// know (a note naming it, so the user can extend rules/products.csv), and a "not deployed" claim
// when an inventory row, mapped or not, names P or its family (a note naming the row).

#include <algorithm>
#include <set>

#include "challenges/rules.h"
#include "util/strings.h"

namespace flexrecon::challenges {

namespace {

bool installed_at(const InventoryRow& inv, Instant t) {
  // A row without an install date says the product is there; assuming it always was only ever
  // makes fewer challenges, never more.
  if (inv.installed && *inv.installed > t) return false;
  return !inv.removed || t < *inv.removed;
}

std::string rate_text(const Rate& r) {
  std::string text = format_tokens(r.tokens_per_day) + " tokens per 24 h";
  if (!r.source.empty()) text += " (rate sheet: " + r.source + ")";
  return text;
}

std::string inventory_text(const InventoryRow& inv) {
  std::string text = inv.display_name.empty() ? inv.product_code : "'" + inv.display_name + "'";
  if (inv.installed) text += " installed " + format_date(*inv.installed);
  if (inv.removed) text += ", removed " + format_date(*inv.removed);
  return text;
}

Verdict make(const std::string& rule, FindingStatus status, Confidence confidence, double tokens) {
  Verdict v;
  v.rule = rule;
  v.status = status;
  v.confidence = confidence;
  v.tokens = tokens;
  return v;
}

// The families' members by code; a code the catalog does not know is its own family.
std::set<std::string> family_codes(const ProductCatalog& catalog, const std::string& code) {
  std::set<std::string> codes{to_lower(code)};
  if (const Product* p = catalog.by_code(code); p != nullptr && !p->family.empty()) {
    for (const Product* member : catalog.family_members(p->family)) codes.insert(to_lower(member->code));
  }
  return codes;
}

struct ChargeFacts {
  const MeteringRow& row;
  Instant t;
  std::string code;  // billed product code, known to the catalog
  const Product& product;
  const std::vector<const InventoryRow*>& inventory;  // the host's rows the catalog maps
  const std::vector<const InventoryRow*>& unmapped;   // the host's Autodesk rows it cannot map
};

// The rows installed at the charge, mapped or not, whose display name carries the billed product's
// or its family's name (`Autodesk AutoCAD Mechanical 2025`, `AutoCAD Civil 3D 2019` for AutoCAD):
// each may be P under a name the catalog does not tell apart, or a product built on it, so none of
// them lets "not deployed" be claimed (SPEC 3.3).
std::vector<const InventoryRow*> rows_naming_product(const ProductCatalog& catalog, const ChargeFacts& f) {
  const std::vector<std::string> names = catalog.presence_names(f.product);
  std::vector<const InventoryRow*> out;
  for (const auto* rows : {&f.inventory, &f.unmapped}) {
    for (const InventoryRow* inv : *rows) {
      if (!installed_at(*inv, f.t)) continue;
      for (const std::string& name : names) {
        if (names_in(inv->display_name, name)) {
          out.push_back(inv);
          break;
        }
      }
    }
  }
  return out;
}

void check_misclassification(RuleContext& ctx, Charge& c, const ChargeFacts& f) {
  const RulesFolder& rules = ctx.rules();
  const std::set<std::string> family = family_codes(rules.catalog, f.code);
  std::vector<const InventoryRow*> siblings;  // installed now, same family, another product
  std::vector<const InventoryRow*> family_rows;
  for (const InventoryRow* inv : f.inventory) {
    if (family.count(to_lower(inv->product_code)) == 0) continue;
    family_rows.push_back(inv);
    if (installed_at(*inv, f.t)) siblings.push_back(inv);
  }
  const std::string on = " on " + f.row.host + " at " + format_utc(f.t);

  if (siblings.empty()) {
    if (const auto naming = rows_naming_product(rules.catalog, f); !naming.empty()) {
      ctx.not_evaluable("misclassification");
      std::vector<std::string> seen;
      for (const InventoryRow* inv : naming) seen.push_back(inventory_text(*inv));
      Verdict v = make("misclassification", FindingStatus::Note, Confidence::High, 0);
      v.reason = "not challenged: " + f.code + " was billed" + on + " and the deployment inventory of " + f.row.host +
                 " lists no catalog product of its family (" + f.product.family + ") installed then, but it lists " +
                 join(seen, "; ") + ", whose name carries " + f.product.name +
                 (iequals(f.product.name, f.product.family) ? "" : " or " + f.product.family) +
                 ": that may be " + f.code + " under a name the catalog does not map, so absence is not proven" +
                 " (if it is a product of its own, add it to products.csv)";
      for (const InventoryRow* inv : naming) v.evidence.push_back(inv->ref());
      c.verdicts.push_back(std::move(v));
      return;
    }
    Verdict v = make("misclassification", FindingStatus::Challenged, Confidence::Medium, f.row.tokens);
    v.reason = "product not deployed on host: " + f.code + " was billed" + on + ", but the deployment inventory of " +
               f.row.host + " (" + std::to_string(f.inventory.size()) + " rows) lists no product of its family installed then";
    if (!family_rows.empty()) {
      std::vector<std::string> seen;
      for (const InventoryRow* inv : family_rows) seen.push_back(inventory_text(*inv));
      v.reason += " (outside that time: " + join(seen, "; ") + ")";
    }
    // The host's whole Autodesk inventory is the evidence of absence.
    for (const InventoryRow* inv : f.inventory) v.evidence.push_back(inv->ref());
    for (const InventoryRow* inv : f.unmapped) v.evidence.push_back(inv->ref());
    c.verdicts.push_back(std::move(v));
    return;
  }

  const Rate* billed_rate = rules.rates.at(f.code, f.t);
  if (billed_rate == nullptr) {
    ctx.not_evaluable("misclassification");
    return;
  }
  // Among the cheaper siblings, the highest-rated one: the smallest, safest claim.
  const InventoryRow* best = nullptr;
  const Rate* best_rate = nullptr;
  std::vector<const InventoryRow*> unpriced;  // siblings the rate sheet has no figure for
  for (const InventoryRow* inv : siblings) {
    const Rate* r = rules.rates.at(inv->product_code, f.t);
    if (r == nullptr) unpriced.push_back(inv);
    if (r == nullptr || r->tokens_per_day >= billed_rate->tokens_per_day) continue;
    if (best_rate == nullptr || r->tokens_per_day > best_rate->tokens_per_day ||
        (r->tokens_per_day == best_rate->tokens_per_day && inv->product_code < best->product_code)) {
      best = inv;
      best_rate = r;
    }
  }
  if (best == nullptr && !unpriced.empty()) {
    // The claim exists but cannot be priced: say so rather than stay silent, and count it.
    ctx.not_evaluable("misclassification");
    std::set<std::string> codes;
    for (const InventoryRow* inv : unpriced) codes.insert(inv->product_code);
    const std::vector<std::string> names(codes.begin(), codes.end());
    Verdict v = make("misclassification", FindingStatus::Note, Confidence::High, 0);
    v.reason = "not priced: " + f.code + " billed" + on + ", but the deployment inventory of " + f.row.host + " shows " +
               f.code + " not installed there, only " + join(names, ", ") + ", for which the rate sheet has no rate; " +
               "pass the contract's rate sheet with --rates to price the misclassification";
    for (const InventoryRow* inv : unpriced) v.evidence.push_back(inv->ref());
    c.verdicts.push_back(std::move(v));
    return;
  }
  if (best == nullptr) return;  // only equally or more expensive siblings: nothing to claim
  const double claim = f.row.tokens - best_rate->tokens_per_day;
  if (claim <= kTokenEpsilon) return;
  Verdict v = make("misclassification", FindingStatus::Challenged, Confidence::High, claim);
  v.reason = f.code + " billed at " + format_tokens(f.row.tokens) + " tokens" + on + ", but the deployment inventory of " +
             f.row.host + " shows " + f.code + " not installed there, only its cheaper sibling " + best->product_code +
             " (" + inventory_text(*best) + "), rated " + rate_text(*best_rate) + " against " + rate_text(*billed_rate) +
             " for " + f.code + "; challenged " + format_tokens(claim) + " tokens, the billed amount above the " +
             best->product_code + " rate";
  for (const InventoryRow* inv : siblings) {
    if (to_lower(inv->product_code) == to_lower(best->product_code)) v.evidence.push_back(inv->ref());
  }
  c.verdicts.push_back(std::move(v));
}

void check_version(Charge& c, const ChargeFacts& f, const std::vector<const InventoryRow*>& installed) {
  if (f.row.version.empty()) return;
  std::vector<std::string> versions;
  for (const InventoryRow* inv : installed) {
    if (inv->version == f.row.version) return;
    if (!inv->version.empty()) versions.push_back(inv->version);
  }
  if (versions.empty()) return;  // inventory names no version: nothing to compare
  std::sort(versions.begin(), versions.end());
  versions.erase(std::unique(versions.begin(), versions.end()), versions.end());
  Verdict v = make("version-mismatch", FindingStatus::Note, Confidence::High, 0);
  v.reason = f.code + " " + f.row.version + " billed on " + f.row.host + " at " + format_utc(f.t) +
             ", but the deployment inventory shows " + f.code + " " + join(versions, ", ") +
             " installed; reported, not challenged: Flex charges per product, not per version";
  for (const InventoryRow* inv : installed) v.evidence.push_back(inv->ref());
  c.verdicts.push_back(std::move(v));
}

void check_rate(RuleContext& ctx, Charge& c, const ChargeFacts& f, const std::vector<const InventoryRow*>& installed) {
  const Rate* rate = ctx.rules().rates.at(f.code, f.t);
  if (rate == nullptr) {
    ctx.not_evaluable("rate-mismatch");
    return;
  }
  const double excess = f.row.tokens - rate->tokens_per_day;
  if (excess <= kTokenEpsilon) return;
  Verdict v = make("rate-mismatch", FindingStatus::Challenged, Confidence::High, excess);
  v.reason = format_tokens(f.row.tokens) + " tokens billed for " + f.code + " at " + format_utc(f.t) + ", above its rate of " +
             rate_text(*rate) + "; challenged the excess of " + format_tokens(excess);
  for (const InventoryRow* inv : installed) v.evidence.push_back(inv->ref());
  c.verdicts.push_back(std::move(v));
}

// A charge the catalog cannot place: say which code or name is missing, so the user can extend
// the catalog, and count it; never guess a family or a rate for it.
void note_unknown_product(RuleContext& ctx, Charge& c, const MeteringRow& row) {
  ctx.not_evaluable("misclassification");
  ctx.not_evaluable("rate-mismatch");
  const std::string what = !row.product_code.empty() ? "product code '" + row.product_code + "'"
                                                     : "product name '" + row.product_name + "'";
  Verdict v = make("misclassification", FindingStatus::Note, Confidence::High, 0);
  v.reason = "product rules not evaluable: the billed " + what +
             " is not in the product catalog (products.csv of the rules folder), so it has no family and no rate; add it "
             "there (code,name,family,aliases) to judge misclassification and rate";
  c.verdicts.push_back(std::move(v));
}

}  // namespace

void apply_product_rules(RuleContext& ctx) {
  const ProductCatalog& catalog = ctx.rules().catalog;
  for (Charge* c : ctx.open_charges()) {
    const MeteringRow& row = *c->m;
    const std::optional<Instant> t = row.start ? row.start : row.usage_date;
    const Product* product = row.product_code.empty() ? nullptr : catalog.by_code(row.product_code);
    if (product == nullptr && (!row.product_code.empty() || !row.product_name.empty())) {
      note_unknown_product(ctx, *c, row);
      continue;
    }
    if (product == nullptr || !t) {
      ctx.not_evaluable("misclassification");
      ctx.not_evaluable("rate-mismatch");
      continue;
    }
    std::vector<const InventoryRow*> mapped, unmapped;
    for (const InventoryRow* inv : ctx.inventory(row.host)) (inv->product_code.empty() ? unmapped : mapped).push_back(inv);
    const ChargeFacts f{row, *t, row.product_code, *product, mapped, unmapped};
    if (f.inventory.empty()) {
      // Without a row the catalog maps nothing says what was installed (unmapped rows alone prove
      // no absence); the rate sheet alone still prices P.
      ctx.not_evaluable("misclassification");
      check_rate(ctx, *c, f, {});
      continue;
    }
    std::vector<const InventoryRow*> installed;  // P itself, installed at t
    for (const InventoryRow* inv : f.inventory) {
      if (iequals(inv->product_code, f.code) && installed_at(*inv, f.t)) installed.push_back(inv);
    }
    if (installed.empty()) {
      check_misclassification(ctx, *c, f);
      continue;
    }
    check_version(*c, f, installed);
    check_rate(ctx, *c, f, installed);
  }
}

}  // namespace flexrecon::challenges
