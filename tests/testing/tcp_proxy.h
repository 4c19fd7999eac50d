// tests/testing/tcp_proxy.h
//
// TcpProxy: a loopback TCP relay in front of a node, so that integration tests can cut a real
// network path (a partition) and heal it. A node advertises the proxy's endpoint; while the
// proxy is cut it closes every relayed connection and every new one at once, so callers see
// the connection fail, as with a network partition or a peer behind a firewall. With delays
// (TcpProxyDelays) it stands for a distant node instead. It never raises SIGPIPE: a peer that
// closes mid-write ends that relay only.
// With a fault (SetFault, TcpFault) it stands for a bad network instead: it drops, delays,
// duplicates, cuts or trickles what it relays. Which connection gets which random choice
// (moment of a drop, delay of a chunk, chunk duplicated, size of a trickle) follows from the
// seed given at construction and the order of connections, so a run can be repeated.
// Only 127.0.0.1 is ever addressed.
// Thread safety: SetCut, SetFault and endpoint are thread-safe. One thread accepts; each
// relayed connection has one thread.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <list>
#include <optional>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <absl/strings/str_format.h>

namespace constellation::testing {

// What a TcpProxy holds back, to stand for a distant node (another continent, a slow VPN):
// each new connection is relayed only after `connection_delay_ms` (a slow handshake), and each
// chunk read from either side is passed on `chunk_delay_ms` after it arrived (one-way latency;
// throughput is not limited). Zero: relay at once.
struct TcpProxyDelays {
  int64_t connection_delay_ms = 0;
  int64_t chunk_delay_ms = 0;
};

// What a TcpProxy does wrong, from the moment SetFault is called until the next call; it applies
// to the connections already relayed and to new ones.
enum class TcpFault {
  kNone,       // relays faithfully (with TcpProxyDelays, if any)
  kDrop,       // closes each relayed connection at a random moment within 1 s (checked
               // between writes: a relay blocked writing to a reader that stalls waits)
  kDelay,      // holds each chunk a random 0-500 ms more, keeping the byte order of a direction
  kDuplicate,  // sends about one chunk in four twice: garbage for the receiver's protocol
  kCut,        // as SetCut(true): every connection fails at once, new ones are closed
  kSlowLoris,  // relays a few bytes at a time with pauses, and holds idle half-open
               // connections to the target (a few bytes of a greeting, then nothing)
};

// The fault's name, as printed by the harnesses ("drop", "delay", ...).
inline const char* TcpFaultName(TcpFault fault) {
  switch (fault) {
    case TcpFault::kNone: return "none";
    case TcpFault::kDrop: return "drop";
    case TcpFault::kDelay: return "delay";
    case TcpFault::kDuplicate: return "duplicate";
    case TcpFault::kCut: return "cut";
    case TcpFault::kSlowLoris: return "slow-loris";
  }
  return "?";
}

class TcpProxy {
 public:
  // The longest extra delay of a chunk under TcpFault::kDelay.
  static constexpr int64_t kMaxFaultDelayMs = 500;
  // A dropped connection lives at most this long under TcpFault::kDrop.
  static constexpr int64_t kMaxDropAfterMs = 1000;
  // Idle half-open connections held to the target under TcpFault::kSlowLoris.
  static constexpr int kSlowLorisIdleConnections = 4;

  // Listens on 127.0.0.1 (a free port); relays to 127.0.0.1:`target_port`, which may change
  // (set_target_port) when the node behind it restarts on another port.
  // With `delays`, every new connection and every chunk is held back (TcpProxyDelays).
  // `seed` decides the random choices of the faults (SetFault).
  explicit TcpProxy(int target_port, TcpProxyDelays delays = {}, uint64_t seed = 0)
      : target_port_(target_port), delays_(delays), seed_(seed) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    ::listen(listen_fd_, 64);
    socklen_t len = sizeof(addr);
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    accept_thread_ = std::thread([this] { AcceptLoop(); });
  }

  ~TcpProxy() {
    stopping_ = true;
    CloseIdleConnections();
    ::shutdown(listen_fd_, SHUT_RDWR);
    ::close(listen_fd_);
    accept_thread_.join();
    std::list<std::thread> relays;
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
      relays.swap(relays_);
    }
    for (std::thread& t : relays) t.join();
  }

  std::string endpoint() const { return absl::StrFormat("127.0.0.1:%d", port_); }
  int port() const { return port_; }
  void set_target_port(int port) { target_port_ = port; }

  // Cut: relayed connections end before this returns, and new ones are closed at once.
  // Healed: relays again.
  void SetCut(bool cut) {
    std::lock_guard<std::mutex> lock(mu_);
    cut_ = cut;
    if (!cut) return;
    for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
  }

  // Starts `fault` (TcpFault), ending the one before. kCut is SetCut(true); leaving it heals.
  void SetFault(TcpFault fault) {
    std::lock_guard<std::mutex> lock(fault_mu_);  // one change at a time
    const TcpFault before = fault_.exchange(fault);
    if (before == fault) return;
    if (before == TcpFault::kSlowLoris) CloseIdleConnections();
    if (before == TcpFault::kCut) SetCut(false);
    if (fault == TcpFault::kCut) SetCut(true);
    if (fault == TcpFault::kSlowLoris) OpenIdleConnections();
  }

  TcpFault fault() const { return fault_.load(); }

  // Every connection relayed now becomes a black hole for good: what either side sends is read
  // and discarded, nothing is passed on, and the connection stays open (as after a NAT forgot
  // it, or a peer host vanished without a reset). New connections are relayed as usual.
  void BlackHoleOpenConnections() { black_hole_below_ = connections_.load(); }

  // Connections accepted so far (for tests of the proxy itself).
  uint64_t connections() const { return connections_.load(); }

 private:
  using Clock = std::chrono::steady_clock;

  // One direction of a relayed connection: chunks read from one side, waiting to be written to
  // `to` at their due time.
  struct Direction {
    int to;
    std::deque<std::pair<Clock::time_point, std::string>> pending;
  };

  // A connection's own random choices, from the proxy's seed and the connection's number.
  using Rng = std::mt19937_64;

  static int64_t Uniform(Rng* rng, int64_t low, int64_t high) {
    return std::uniform_int_distribution<int64_t>(low, high)(*rng);
  }

  int Connect() const {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(target_port_.load()));
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
      ::close(fd);
      return -1;
    }
    return fd;
  }

  // Slow-loris: connections to the target that send the first bytes of an HTTP/2 greeting and
  // then nothing, held until the fault ends.
  void OpenIdleConnections() {
    static constexpr char kPartialPreface[] = "PRI * HTTP/2.0\r\n";
    for (int i = 0; i < kSlowLorisIdleConnections; ++i) {
      const int fd = Connect();
      if (fd < 0) continue;
      ::send(fd, kPartialPreface, sizeof(kPartialPreface) - 1, MSG_NOSIGNAL);
      std::lock_guard<std::mutex> lock(mu_);
      idle_fds_.push_back(fd);
    }
  }

  void CloseIdleConnections() {
    std::lock_guard<std::mutex> lock(mu_);
    for (int fd : idle_fds_) ::close(fd);
    idle_fds_.clear();
  }

  void AcceptLoop() {
    while (!stopping_) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      const int client = ::accept(listen_fd_, nullptr, nullptr);
      if (client < 0) continue;
      std::lock_guard<std::mutex> lock(mu_);
      if (cut_) {
        ::close(client);
        continue;
      }
      open_fds_.insert(client);
      const uint64_t number = connections_++;
      relays_.emplace_back(
          [this, client, number] { Relay(client, number, Rng(seed_ * 1'000'003 + number)); });
    }
  }

  void Relay(int client, uint64_t number, Rng rng) {
    // A slow handshake: the client's connection is accepted (by the kernel) at once, but
    // nothing reaches the node, nor comes back, before the delay.
    std::this_thread::sleep_for(std::chrono::milliseconds(delays_.connection_delay_ms));
    const int upstream = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(target_port_.load()));
    {
      std::lock_guard<std::mutex> lock(mu_);
      open_fds_.insert(upstream);
      if (cut_) ::shutdown(upstream, SHUT_RDWR);
    }
    if (::connect(upstream, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
      Close(client, upstream);
      return;
    }
    Direction directions[2] = {{upstream, {}}, {client, {}}};  // read from client, upstream
    char buffer[16 * 1024];
    // After either side closes, what it sent before is still delivered, then both close.
    bool reading = true;
    bool failed = false;
    std::optional<Clock::time_point> drop_at;  // under TcpFault::kDrop
    while (!stopping_ && !failed &&
           (reading || !directions[0].pending.empty() || !directions[1].pending.empty())) {
      const TcpFault fault = fault_.load();
      if (fault != TcpFault::kDrop) {
        drop_at.reset();
      } else if (!drop_at) {
        drop_at = Clock::now() + std::chrono::milliseconds(Uniform(&rng, 0, kMaxDropAfterMs));
      } else if (Clock::now() >= *drop_at) {
        break;
      }
      const int timeout_ms = PollTimeoutMs(directions);
      if (!reading) {
        std::this_thread::sleep_for(std::chrono::milliseconds(timeout_ms));
      } else {
        pollfd fds[2] = {{client, POLLIN, 0}, {upstream, POLLIN, 0}};
        if (::poll(fds, 2, timeout_ms) < 0) continue;
        for (int i = 0; i < 2 && reading; ++i) {
          if ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
          const ssize_t n = ::read(fds[i].fd, buffer, sizeof(buffer));
          if (n <= 0) {
            reading = false;
            break;
          }
          Receive(fault, std::string(buffer, static_cast<size_t>(n)), &directions[i], &rng);
        }
      }
      if (number < black_hole_below_.load()) {
        for (Direction& d : directions) d.pending.clear();
      }
      for (Direction& d : directions) {
        if (!SendDue(&d, &rng)) failed = true;
      }
    }
    Close(client, upstream);
  }

  // How long the relay may wait in poll: until the next pending chunk is due, at most 50 ms
  // (so that it sees `stopping_`).
  static int PollTimeoutMs(const Direction (&directions)[2]) {
    int64_t timeout_ms = 50;
    for (const Direction& d : directions) {
      if (d.pending.empty()) continue;
      const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(
          d.pending.front().first - Clock::now());
      timeout_ms = std::clamp<int64_t>(wait.count(), 0, timeout_ms);
    }
    return static_cast<int>(timeout_ms);
  }

  // Queues a chunk read for `d`, with its delay (and under kDuplicate, perhaps twice). A chunk
  // is never due before the one queued before it, so a direction keeps its byte order.
  void Receive(TcpFault fault, std::string chunk, Direction* d, Rng* rng) const {
    int64_t delay_ms = delays_.chunk_delay_ms;
    if (fault == TcpFault::kDelay) delay_ms += Uniform(rng, 0, kMaxFaultDelayMs);
    Clock::time_point due = Clock::now() + std::chrono::milliseconds(delay_ms);
    if (!d->pending.empty()) due = std::max(due, d->pending.back().first);
    const bool twice = fault == TcpFault::kDuplicate && Uniform(rng, 0, 3) == 0;
    if (twice) d->pending.emplace_back(due, chunk);
    d->pending.emplace_back(due, std::move(chunk));
  }

  // Writes the chunks that are due; false when the connection failed. MSG_NOSIGNAL: a peer that
  // has closed (or a cut) fails the send with EPIPE instead of raising SIGPIPE, which would kill
  // the whole test process. Under kSlowLoris, writes only 1-8 bytes of the first chunk and
  // holds the rest 10-100 ms.
  bool SendDue(Direction* d, Rng* rng) const {
    while (!d->pending.empty() && d->pending.front().first <= Clock::now()) {
      std::string& chunk = d->pending.front().second;
      if (fault_.load() == TcpFault::kSlowLoris) {
        const size_t piece = std::min<size_t>(chunk.size(), Uniform(rng, 1, 8));
        const ssize_t w = ::send(d->to, chunk.data(), piece, MSG_NOSIGNAL);
        if (w <= 0) return false;
        chunk.erase(0, static_cast<size_t>(w));
        if (chunk.empty()) {
          d->pending.pop_front();
        } else {
          d->pending.front().first = Clock::now() + std::chrono::milliseconds(Uniform(rng, 10, 100));
        }
        return true;
      }
      for (size_t sent = 0; sent < chunk.size();) {
        const ssize_t w = ::send(d->to, chunk.data() + sent, chunk.size() - sent, MSG_NOSIGNAL);
        if (w <= 0) return false;
        sent += static_cast<size_t>(w);
      }
      d->pending.pop_front();
    }
    return true;
  }

  void Close(int client, int upstream) {
    std::lock_guard<std::mutex> lock(mu_);
    open_fds_.erase(client);
    open_fds_.erase(upstream);
    ::close(upstream);
    ::close(client);
  }

  std::atomic<int> target_port_;
  const TcpProxyDelays delays_;
  const uint64_t seed_;
  std::mutex fault_mu_;  // serialises SetFault
  std::atomic<TcpFault> fault_{TcpFault::kNone};
  std::atomic<uint64_t> connections_{0};
  std::atomic<uint64_t> black_hole_below_{0};  // connections numbered below are black holes
  int listen_fd_ = -1;
  int port_ = 0;
  bool cut_ = false;  // guarded by mu_
  std::atomic<bool> stopping_{false};
  std::thread accept_thread_;
  std::mutex mu_;
  std::list<std::thread> relays_;
  std::set<int> open_fds_;  // guarded by mu_
  std::vector<int> idle_fds_;  // guarded by mu_: slow-loris connections held to the target
};

}  // namespace constellation::testing
