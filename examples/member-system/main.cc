// member-system: what a member organisation's own system does with the SDK. It reads the
// organisation's pledge book (a CSV export: one "donor,amount" line per pledge), records every
// line as a pledge in a joint campaign on the organisation's own node, and prints the
// campaign's progress per member and in total.
//
// Re-running it is safe: each line's request id is derived from the book's name and the line
// number, so a line already recorded returns its original pledge instead of a second one
// (client.proto: request_id is the idempotency key of a write).
//
//   member-system --endpoint 127.0.0.1:7400 --token TOKEN --group GROUP_ID \
//                 --campaign CAMPAIGN_ID --book pledges.csv [--currency EUR]
//
// Exit codes: 0 done, 1 a call failed (the SDK's message is printed), 2 usage error.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <constellation/client.h>
#include <constellation/money.h>

namespace {

struct Args {
  std::string endpoint;
  std::string token;
  std::string group;
  std::string campaign;
  std::string book;
  std::string currency = "EUR";
};

constexpr char kUsage[] =
    "usage: member-system --endpoint HOST:PORT --token TOKEN --group GROUP_ID "
    "--campaign CAMPAIGN_ID --book FILE.csv [--currency EUR]\n";

bool ParseArgs(int argc, char** argv, Args& args) {
  std::map<std::string, std::string*> flags = {
      {"--endpoint", &args.endpoint}, {"--token", &args.token},
      {"--group", &args.group},       {"--campaign", &args.campaign},
      {"--book", &args.book},         {"--currency", &args.currency}};
  for (int i = 1; i < argc; ++i) {
    auto flag = flags.find(argv[i]);
    if (flag == flags.end() || i + 1 == argc) return false;
    *flag->second = argv[++i];
  }
  return !args.endpoint.empty() && !args.group.empty() && !args.campaign.empty() &&
         !args.book.empty();
}

struct BookLine {
  int number = 0;
  std::string donor;
  std::string amount;
};

// Reads "donor,amount" lines; blank lines and lines starting with '#' are skipped.
bool ReadBook(const std::string& path, std::vector<BookLine>& lines) {
  std::ifstream in(path);
  if (!in) return false;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line[0] == '#') continue;
    const size_t comma = line.rfind(',');
    if (comma == std::string::npos) {
      std::cerr << path << ":" << number << ": expected \"donor,amount\"\n";
      return false;
    }
    lines.push_back({number, line.substr(0, comma), line.substr(comma + 1)});
  }
  return true;
}

std::string BaseName(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (!ParseArgs(argc, argv, args)) {
    std::cerr << kUsage;
    return 2;
  }
  std::vector<BookLine> book;
  if (!ReadBook(args.book, book)) {
    std::cerr << "cannot read the pledge book " << args.book << "\n";
    return 2;
  }

  constellation::ClientOptions options;
  options.endpoint = args.endpoint;
  options.token = args.token;
  auto client = constellation::Client::Connect(options);
  if (!client.ok()) {
    std::cerr << "connect: " << client.status() << "\n";
    return 1;
  }

  for (const BookLine& line : book) {
    auto minor = constellation::ParseAmount(line.amount, args.currency);
    if (!minor.ok()) {
      std::cerr << args.book << ":" << line.number << ": " << minor.status().message() << "\n";
      return 2;
    }
    constellation::PledgeTerms terms;
    terms.amount = {*minor, args.currency};
    terms.donor_name = line.donor;
    constellation::WriteOptions write;
    write.request_id = "member-system-" + BaseName(args.book) + "-" + std::to_string(line.number);
    auto pledge = (*client)->RecordPledge(args.group, args.campaign, terms, write);
    if (!pledge.ok()) {
      std::cerr << args.book << ":" << line.number << ": " << pledge.status() << "\n";
      return 1;
    }
    std::cout << "pledge " << pledge->pledge.pledge_id.substr(0, 12) << "  " << line.donor << "  "
              << line.amount << " " << args.currency << "\n";
  }

  auto campaign = (*client)->GetCampaign(args.group, args.campaign);
  if (!campaign.ok()) {
    std::cerr << "campaign: " << campaign.status() << "\n";
    return 1;
  }
  const std::string& currency = campaign->definition.goal.currency;
  std::cout << "campaign " << campaign->definition.name << ": "
            << constellation::FormatAmount(campaign->pledged_minor, currency) << " of "
            << constellation::FormatAmount(campaign->definition.goal.amount_minor, currency)
            << " " << currency << " pledged, "
            << constellation::FormatAmount(campaign->received_minor, currency) << " received, "
            << campaign->pledge_count << " pledges\n";
  for (const constellation::CampaignTotals& member : campaign->member_totals) {
    std::cout << "  member " << member.member.substr(0, 12) << "  "
              << constellation::FormatAmount(member.pledged_minor, member.currency) << " "
              << member.currency << " pledged in " << member.pledge_count << " pledges\n";
  }
  return 0;
}
