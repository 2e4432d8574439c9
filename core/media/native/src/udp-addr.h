// Socket addresses for UdpIo: a parsed peer, comparison with a datagram's source, and parsing of the address
// strings JavaScript hands over.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>
#include <string>

namespace media {

struct Peer {
  sockaddr_storage addr{};
  socklen_t len = 0;
};

inline bool SameAddr(const sockaddr_storage& a, const sockaddr_storage& b) {
  if (a.ss_family != b.ss_family) return false;
  if (a.ss_family == AF_INET) {
    auto& x = reinterpret_cast<const sockaddr_in&>(a);
    auto& y = reinterpret_cast<const sockaddr_in&>(b);
    return x.sin_port == y.sin_port && x.sin_addr.s_addr == y.sin_addr.s_addr;
  }
  auto& x = reinterpret_cast<const sockaddr_in6&>(a);
  auto& y = reinterpret_cast<const sockaddr_in6&>(b);
  return x.sin6_port == y.sin6_port && std::memcmp(&x.sin6_addr, &y.sin6_addr, sizeof(in6_addr)) == 0;
}

// Parse "a.b.c.d" or an IPv6 literal for a socket of `family`; an IPv4 address for an IPv6 socket becomes
// v4-mapped, as Node's dgram does for dual-stack sockets.
inline bool ParseAddr(const std::string& ip, int port, int family, Peer* out) {
  std::memset(&out->addr, 0, sizeof(out->addr));
  if (family == AF_INET) {
    auto* a = reinterpret_cast<sockaddr_in*>(&out->addr);
    a->sin_family = AF_INET;
    a->sin_port = htons(static_cast<uint16_t>(port));
    if (inet_pton(AF_INET, ip.c_str(), &a->sin_addr) != 1) return false;
    out->len = sizeof(sockaddr_in);
    return true;
  }
  auto* a = reinterpret_cast<sockaddr_in6*>(&out->addr);
  a->sin6_family = AF_INET6;
  a->sin6_port = htons(static_cast<uint16_t>(port));
  std::string s = ip;
  size_t pct = s.find('%');
  if (pct != std::string::npos) s.resize(pct);
  if (inet_pton(AF_INET6, s.c_str(), &a->sin6_addr) != 1) {
    in_addr v4;
    if (inet_pton(AF_INET, s.c_str(), &v4) != 1) return false;
    a->sin6_addr.s6_addr[10] = 0xff;
    a->sin6_addr.s6_addr[11] = 0xff;
    std::memcpy(&a->sin6_addr.s6_addr[12], &v4, 4);
  }
  out->len = sizeof(sockaddr_in6);
  return true;
}

}  // namespace media
