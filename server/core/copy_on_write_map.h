// server/core/copy_on_write_map.h
//
// CopyOnWriteMap<K, V>: an ordered map whose values are shared between copies of the map until
// one of the copies writes them. Copying the map copies its keys and one pointer per value,
// never a value. Why: the folded state is copied at every fold checkpoint (server/core/group.h,
// every so many events) and when a late event replays from one, and its largest parts (a
// group's pledges) change in a few entries between two copies; a deep copy of every pledge at
// each checkpoint was a third of the apply loop's time under write load (issue 10,
// docs/PERFORMANCE.md).
//
// Reads look like a const std::map<K, V>: find, at, count, contains, size, empty, lower_bound
// and iteration in key order, where an element is a pair of references (first: const K&,
// second: const V&). Writes go through Emplace, Mutable and erase; Mutable clones the value
// first when another copy shares it, so a write is never seen by another copy. Unlike a
// std::map, a reference to a value taken before a write may not see that write (it may be the
// copy another map shares, freed with that map): do not hold references across writes.
// Thread safety: not thread-safe, and neither are its copies as a set: a map and every copy of
// it must be used from one thread (the apply loop, for the folded state), because whether a
// value is shared is read from its reference count without synchronisation.
#pragma once

#include <cstddef>
#include <iterator>
#include <map>
#include <memory>
#include <utility>

#include "server/base/check.h"

namespace constellation::core {

template <typename K, typename V>
class CopyOnWriteMap {
  using Map = std::map<K, std::shared_ptr<V>>;

 public:
  using key_type = K;
  using mapped_type = V;
  using size_type = size_t;

  class const_iterator {
   public:
    using iterator_category = std::bidirectional_iterator_tag;
    using value_type = std::pair<const K&, const V&>;
    using difference_type = std::ptrdiff_t;
    using reference = value_type;
    // operator-> returns a value holding the pair, whose own operator-> the language applies.
    struct pointer {
      value_type item;
      const value_type* operator->() const { return &item; }
    };

    const_iterator() = default;
    value_type operator*() const { return {it_->first, *it_->second}; }
    pointer operator->() const { return pointer{**this}; }
    const_iterator& operator++() {
      ++it_;
      return *this;
    }
    const_iterator operator++(int) { return const_iterator(it_++); }
    const_iterator& operator--() {
      --it_;
      return *this;
    }
    const_iterator operator--(int) { return const_iterator(it_--); }
    bool operator==(const const_iterator& other) const { return it_ == other.it_; }
    bool operator!=(const const_iterator& other) const { return it_ != other.it_; }

   private:
    friend class CopyOnWriteMap;
    explicit const_iterator(typename Map::const_iterator it) : it_(it) {}
    typename Map::const_iterator it_;
  };
  using iterator = const_iterator;

  size_t size() const { return map_.size(); }
  bool empty() const { return map_.empty(); }
  const_iterator begin() const { return const_iterator(map_.begin()); }
  const_iterator end() const { return const_iterator(map_.end()); }
  const_iterator find(const K& key) const { return const_iterator(map_.find(key)); }
  const_iterator lower_bound(const K& key) const { return const_iterator(map_.lower_bound(key)); }
  size_t count(const K& key) const { return map_.count(key); }
  bool contains(const K& key) const { return map_.contains(key); }
  // The value of `key`, which must be present (a programmer error otherwise, as std::map::at).
  const V& at(const K& key) const { return *map_.at(key); }

  // Inserts `value` under `key` unless the key is present; returns the value held under `key`,
  // writable (unshared first, as Mutable) and whether it was inserted.
  std::pair<V*, bool> Emplace(const K& key, V value) {
    auto [it, inserted] = map_.try_emplace(key);
    if (inserted) {
      it->second = std::make_shared<V>(std::move(value));
      return {it->second.get(), true};
    }
    return {Unshared(it->second), false};
  }

  // The value of `key`, which must be present, for writing: cloned first when another copy of
  // the map shares it.
  V& Mutable(const K& key) {
    auto it = map_.find(key);
    CONSTELLATION_CHECK(it != map_.end());
    return *Unshared(it->second);
  }

  size_t erase(const K& key) { return map_.erase(key); }

 private:
  static V* Unshared(std::shared_ptr<V>& value) {
    if (value.use_count() > 1) value = std::make_shared<V>(*value);
    return value.get();
  }

  Map map_;
};

}  // namespace constellation::core
