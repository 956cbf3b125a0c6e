// dossier.html: the one printable, self-contained file for legal review, rendered with mustache
// from the user-editable templates folder (dossier.html.mustache, partials/*.mustache, dossier.css).
#pragma once

#include <string>

#include "flexrecon/reconcile.h"

namespace flexrecon {

// Throws Error::input naming the template file when one is missing or does not parse.
std::string render_dossier(const ReconcileResult& result, const std::string& templates_dir);

}  // namespace flexrecon
