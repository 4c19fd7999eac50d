#include "server/app/config.h"

#include <sys/stat.h>

#include <fstream>

#include <absl/strings/str_format.h>
#include <toml++/toml.h>

namespace constellation::app {

absl::StatusOr<Config> LoadConfig(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    return absl::NotFoundError(absl::StrFormat(
        "config %s not found; run 'constellationd init --data-dir DIR' first", path));
  }
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "config %s: %s (line %d)", path, std::string(e.description()), e.source().begin.line));
  }
  Config c;
  auto str = [&](std::string_view section, std::string_view key, std::string* out) -> absl::Status {
    toml::node_view<toml::node> node = table[section][key];
    if (!node) return absl::OkStatus();
    std::optional<std::string> v = node.value<std::string>();
    if (!v) {
      return absl::InvalidArgumentError(absl::StrFormat("config %s: %s.%s must be a string", path,
                                                        std::string(section), std::string(key)));
    }
    *out = *v;
    return absl::OkStatus();
  };
  if (absl::Status s = str("node", "data_dir", &c.data_dir); !s.ok()) return s;
  if (absl::Status s = str("node", "listen", &c.listen); !s.ok()) return s;
  if (absl::Status s = str("org", "name", &c.org_name); !s.ok()) return s;
  if (absl::Status s = str("metrics", "listen", &c.metrics_listen); !s.ok()) return s;
  if (toml::node_view<toml::node> node = table["replication"]["anti_entropy_interval_ms"]; node) {
    std::optional<int64_t> v = node.value<int64_t>();
    if (!v || *v < 100 || *v > 3'600'000) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "config %s: replication.anti_entropy_interval_ms must be an integer from 100 to "
          "3600000 (ms)",
          path));
    }
    c.anti_entropy_interval_ms = static_cast<uint64_t>(*v);
  }
  if (toml::array* advertise = table["node"]["advertise"].as_array()) {
    for (const toml::node& n : *advertise) {
      std::optional<std::string> v = n.value<std::string>();
      if (!v) {
        return absl::InvalidArgumentError(
            absl::StrFormat("config %s: node.advertise must be a list of strings", path));
      }
      c.advertise.push_back(*v);
    }
  }
  return c;
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
  };
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
