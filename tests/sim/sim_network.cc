#include "tests/sim/sim_network.h"

#include <algorithm>

namespace constellation::sim {

std::string_view MessageKindName(MessageKind kind) {
  switch (kind) {
    case MessageKind::kPush:
      return "push";
    case MessageKind::kPullRequest:
      return "pull-request";
    case MessageKind::kPullResponse:
      return "pull-response";
    case MessageKind::kForkProof:
      return "fork-proof";
  }
  return "unknown";
}

void SimNetwork::Send(Message message, uint64_t now_ms) {
  ++stats_.sent;
  if (random_->Chance(faults_.drop_per_mille)) {
    ++stats_.dropped;
    return;
  }
  if (random_->Chance(faults_.duplicate_per_mille)) {
    ++stats_.duplicated;
    Enqueue(message, now_ms);
  }
  Enqueue(std::move(message), now_ms);
}

void SimNetwork::Enqueue(Message message, uint64_t now_ms) {
  const uint64_t delay_ms =
      faults_.delay_ms_max == 0 ? 0 : random_->Below(faults_.delay_ms_max + 1);
  queue_.emplace(std::make_pair(now_ms + delay_ms, serial_++), std::move(message));
}

std::vector<Message> SimNetwork::TakeDue(uint64_t now_ms) {
  std::vector<Message> due;
  while (!queue_.empty() && queue_.begin()->first.first <= now_ms) {
    Message m = std::move(queue_.begin()->second);
    queue_.erase(queue_.begin());
    if (!Connected(m.from, m.to)) {
      ++stats_.partitioned;
      continue;
    }
    ++stats_.delivered;
    due.push_back(std::move(m));
  }
  return due;
}

void SimNetwork::Partition(std::vector<int> side_of_node) {
  side_of_node_ = std::move(side_of_node);
}

void SimNetwork::Heal() { std::fill(side_of_node_.begin(), side_of_node_.end(), 0); }

bool SimNetwork::partitioned() const {
  return std::any_of(side_of_node_.begin(), side_of_node_.end(),
                     [this](int side) { return side != side_of_node_.front(); });
}

}  // namespace constellation::sim
