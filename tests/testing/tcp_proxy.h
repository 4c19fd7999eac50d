// tests/testing/tcp_proxy.h
//
// TcpProxy: a loopback TCP relay in front of a node, so that integration tests can cut a real
// network path (a partition) and heal it. A node advertises the proxy's endpoint; while the
// proxy is cut it closes every relayed connection and every new one at once, so callers see
// the connection fail, as with a network partition or a peer behind a firewall.
// Thread safety: SetCut and endpoint are thread-safe. One thread accepts; each relayed
// connection has one thread.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <list>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include <absl/strings/str_format.h>

namespace constellation::testing {

class TcpProxy {
 public:
  // Listens on 127.0.0.1 (a free port); relays to 127.0.0.1:`target_port`, which may change
  // (set_target_port) when the node behind it restarts on another port.
  explicit TcpProxy(int target_port) : target_port_(target_port) {
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
  void set_target_port(int port) { target_port_ = port; }

  // Cut: relayed connections end before this returns, and new ones are closed at once.
  // Healed: relays again.
  void SetCut(bool cut) {
    std::lock_guard<std::mutex> lock(mu_);
    cut_ = cut;
    if (!cut) return;
    for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
  }

 private:
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
      relays_.emplace_back([this, client] { Relay(client); });
    }
  }

  void Relay(int client) {
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
    char buffer[16 * 1024];
    pollfd fds[2] = {{client, POLLIN, 0}, {upstream, POLLIN, 0}};
    while (!stopping_) {
      if (::poll(fds, 2, 50) <= 0) continue;
      bool closed = false;
      for (int i = 0; i < 2 && !closed; ++i) {
        if ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
        const ssize_t n = ::read(fds[i].fd, buffer, sizeof(buffer));
        if (n <= 0) {
          closed = true;
          break;
        }
        const int to = fds[1 - i].fd;
        for (ssize_t sent = 0; sent < n;) {
          const ssize_t w = ::write(to, buffer + sent, static_cast<size_t>(n - sent));
          if (w <= 0) {
            closed = true;
            break;
          }
          sent += w;
        }
      }
      if (closed) break;
    }
    Close(client, upstream);
  }

  void Close(int client, int upstream) {
    std::lock_guard<std::mutex> lock(mu_);
    open_fds_.erase(client);
    open_fds_.erase(upstream);
    ::close(upstream);
    ::close(client);
  }

  std::atomic<int> target_port_;
  int listen_fd_ = -1;
  int port_ = 0;
  bool cut_ = false;  // guarded by mu_
  std::atomic<bool> stopping_{false};
  std::thread accept_thread_;
  std::mutex mu_;
  std::list<std::thread> relays_;
  std::set<int> open_fds_;  // guarded by mu_
};

}  // namespace constellation::testing
