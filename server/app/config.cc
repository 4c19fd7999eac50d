#include "server/app/config.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <variant>

#include <absl/strings/str_format.h>
#include <absl/strings/str_join.h>
#include <toml++/toml.h>

namespace constellation::app {
namespace {

// Where a key's value goes in Config; the pointer type says the TOML type it must have.
using StringField = std::string* (*)(Config&);
using StringListField = std::vector<std::string>* (*)(Config&);
using IntegerField = uint64_t* (*)(Config&);
using BoolField = bool* (*)(Config&);

struct Key {
  using Field = std::variant<StringField, StringListField, IntegerField, BoolField>;
  Key(std::string_view section, std::string_view name, Field field, int64_t integer_min = 0,
      int64_t integer_max = 0, std::string_view unit = "")
      : section(section),
        name(name),
        field(field),
        integer_min(integer_min),
        integer_max(integer_max),
        unit(unit) {}

  std::string_view section;  // "" = top level
  std::string_view name;
  Field field;
  int64_t integer_min;  // integers only: the accepted range and its unit
  int64_t integer_max;
  std::string_view unit;
};

// Every known key, one line each (docs/OPERATIONS.md, "Configuration reference"). A key that
// is not here is refused with its line.
const Key kKeys[] = {
    {"node", "data_dir", +[](Config& c) { return &c.data_dir; }},
    {"node", "listen", +[](Config& c) { return &c.listen; }},
    {"node", "advertise", +[](Config& c) { return &c.advertise; }},
    {"org", "name", +[](Config& c) { return &c.org_name; }},
    {"replication", "anti_entropy_interval_ms",
     +[](Config& c) { return &c.anti_entropy_interval_ms; }, 100, 3'600'000, "ms"},
    {"tls", "cert_file", +[](Config& c) { return &c.tls.cert_file; }},
    {"tls", "key_file", +[](Config& c) { return &c.tls.key_file; }},
    {"tls", "client_ca_file", +[](Config& c) { return &c.tls.client_ca_file; }},
    {"tls", "require_client_cert", +[](Config& c) { return &c.tls.require_client_cert; }},
    {"tls", "ca_file", +[](Config& c) { return &c.tls.ca_file; }},
    {"metrics", "listen", +[](Config& c) { return &c.metrics_listen; }},
    {"log", "format", +[](Config& c) { return &c.log_format; }},
};

std::string Dotted(std::string_view section, std::string_view name) {
  return section.empty() ? std::string(name) : absl::StrFormat("%s.%s", section, name);
}

const Key* FindKey(std::string_view section, std::string_view name) {
  for (const Key& key : kKeys) {
    if (key.section == section && key.name == name) return &key;
  }
  return nullptr;
}

bool IsSection(std::string_view section) {
  for (const Key& key : kKeys) {
    if (!key.section.empty() && key.section == section) return true;
  }
  return false;
}

// The message for an unknown key: the known keys of its section, and the section where a key
// of that name belongs, if any.
std::string UnknownKeyMessage(std::string_view section, std::string_view name) {
  std::vector<std::string> known;
  std::string elsewhere;
  for (const Key& key : kKeys) {
    if (key.section == section) known.emplace_back(key.name);
    // The first section that has a key of that name (kKeys lists [node] first).
    if (key.name == name && key.section != section && elsewhere.empty()) {
      elsewhere = Dotted(key.section, key.name);
    }
  }
  std::string message = absl::StrFormat("unknown key '%s'", Dotted(section, name));
  if (!elsewhere.empty()) {
    absl::StrAppend(&message, absl::StrFormat(" (did you mean '%s'?)", elsewhere));
  } else if (!known.empty()) {
    absl::StrAppend(&message, absl::StrFormat("; known keys in [%s]: %s", std::string(section),
                                              absl::StrJoin(known, ", ")));
  }
  return message;
}

std::string_view TypeName(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "a list";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a number with a fraction";
    case toml::node_type::boolean:
      return "a boolean";
    default:
      return "a date or time";
  }
}

class Parser {
 public:
  explicit Parser(std::string origin) : origin_(std::move(origin)) {}

  absl::Status Parse(const toml::table& root, Config* config) {
    for (const auto& [name, node] : root) {
      if (const toml::table* section = node.as_table()) {
        if (!IsSection(name.str())) {
          std::vector<std::string> sections;
          for (const Key& key : kKeys) {
            if (!key.section.empty() && (sections.empty() || sections.back() != key.section)) {
              sections.emplace_back(key.section);
            }
          }
          return Error(name.source().begin.line,
                       absl::StrFormat("unknown section [%s]; known sections: %s",
                                       std::string(name.str()), absl::StrJoin(sections, ", ")));
        }
        for (const auto& [key_name, value] : *section) {
          if (absl::Status s = Apply(name.str(), key_name, value, config); !s.ok()) return s;
        }
      } else if (absl::Status s = Apply("", name, node, config); !s.ok()) {
        return s;
      }
    }
    return absl::OkStatus();
  }

 private:
  absl::Status Apply(std::string_view section, const toml::key& name, const toml::node& value,
                     Config* config) {
    const Key* key = FindKey(section, name.str());
    if (key == nullptr) {
      return Error(name.source().begin.line, UnknownKeyMessage(section, name.str()));
    }
    const int line = static_cast<int>(value.source().begin.line);
    const std::string dotted = Dotted(key->section, key->name);
    if (auto* field = std::get_if<StringField>(&key->field)) {
      if (!value.is_string()) return WrongType(line, dotted, "a string", value);
      *(*field)(*config) = value.as_string()->get();
    } else if (auto* field = std::get_if<StringListField>(&key->field)) {
      const toml::array* list = value.as_array();
      if (list == nullptr) return WrongType(line, dotted, "a list of strings", value);
      std::vector<std::string>* out = (*field)(*config);
      out->clear();
      for (const toml::node& item : *list) {
        if (!item.is_string()) {
          return WrongType(static_cast<int>(item.source().begin.line), dotted,
                           "a list of strings", item);
        }
        out->push_back(item.as_string()->get());
      }
    } else if (auto* field = std::get_if<IntegerField>(&key->field)) {
      const std::string expected =
          absl::StrFormat("an integer from %d to %d (%s)", key->integer_min, key->integer_max,
                          std::string(key->unit));
      if (!value.is_integer()) return WrongType(line, dotted, expected, value);
      const int64_t v = value.as_integer()->get();
      if (v < key->integer_min || v > key->integer_max) {
        return Error(line, absl::StrFormat("%s must be %s, not %d", dotted, expected, v));
      }
      *(*field)(*config) = static_cast<uint64_t>(v);
    } else if (auto* field = std::get_if<BoolField>(&key->field)) {
      if (!value.is_boolean()) return WrongType(line, dotted, "a boolean (true or false)", value);
      *(*field)(*config) = value.as_boolean()->get();
    }
    return absl::OkStatus();
  }

  absl::Status WrongType(int line, const std::string& dotted, std::string_view expected,
                         const toml::node& value) const {
    return Error(line, absl::StrFormat("%s must be %s, not %s", dotted, std::string(expected),
                                       std::string(TypeName(value))));
  }

  absl::Status Error(int line, const std::string& message) const {
    return absl::InvalidArgumentError(
        absl::StrFormat("config %s line %d: %s", origin_, line, message));
  }

  std::string origin_;
};

}  // namespace

absl::StatusOr<Config> ParseConfig(std::string_view text, const std::string& origin) {
  toml::table table;
  try {
    table = toml::parse(text, origin);
  } catch (const toml::parse_error& e) {
    return absl::InvalidArgumentError(absl::StrFormat("config %s line %d: %s", origin,
                                                      e.source().begin.line,
                                                      std::string(e.description())));
  }
  Config config;
  Parser parser(origin);
  if (absl::Status s = parser.Parse(table, &config); !s.ok()) return s;
  return config;
}

absl::StatusOr<Config> LoadConfig(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    return absl::NotFoundError(absl::StrFormat(
        "config %s not found; run 'constellationd init --data-dir DIR' first", path));
  }
  std::ifstream in(path);
  if (!in) return absl::PermissionDeniedError(absl::StrFormat("cannot read config %s", path));
  std::stringstream text;
  text << in.rdbuf();
  return ParseConfig(text.str(), path);
}

absl::Status WriteConfig(const Config& config, const std::string& path) {
  toml::array advertise;
  for (const std::string& a : config.advertise) advertise.push_back(a);
  toml::table table{
      {"node",
       toml::table{
           {"data_dir", config.data_dir}, {"listen", config.listen}, {"advertise", advertise}}},
      {"org", toml::table{{"name", config.org_name}}},
      {"replication",
       toml::table{{"anti_entropy_interval_ms",
                    static_cast<int64_t>(config.anti_entropy_interval_ms)}}},
      {"metrics", toml::table{{"listen", config.metrics_listen}}},
      {"log", toml::table{{"format", config.log_format}}},
  };
  toml::table tls;
  const rpc::TlsOptions& t = config.tls;
  for (const auto& [name, value] :
       {std::pair<const char*, const std::string*>{"cert_file", &t.cert_file},
        {"key_file", &t.key_file},
        {"client_ca_file", &t.client_ca_file},
        {"ca_file", &t.ca_file}}) {
    if (!value->empty()) tls.insert(name, *value);
  }
  if (t.require_client_cert) tls.insert("require_client_cert", true);
  if (!tls.empty()) table.insert("tls", std::move(tls));
  std::ofstream out(path, std::ios::trunc);
  if (!out) return absl::UnavailableError(absl::StrFormat("cannot write %s", path));
  out << "# constellationd configuration (written by 'constellationd init').\n" << table << "\n";
  out.close();
  if (!out || ::chmod(path.c_str(), 0600) != 0) {
    return absl::UnavailableError(absl::StrFormat("cannot write %s", path));
  }
  return absl::OkStatus();
}

}  // namespace constellation::app
