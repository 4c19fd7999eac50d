// server/core/persistent_map.h
//
// PersistentMap<K, V>: an ordered map whose copy costs O(1) and whose writes copy only what
// another copy still shares. It is a B+ tree of shared nodes: a copy of the map shares the
// root; a write walks from the root to its leaf and clones each node on that path that another
// copy shares (O(log n) nodes, each at most kMaxEntries keys and pointers), then the value
// itself if another copy shares it. A map nobody else shares is written in place. Why: the
// folded state is copied at every fold checkpoint and when a late event replays from one
// (server/core/group.h), and its largest parts (a group's pledges) grow with the group while
// only a few entries change between two copies: a copy of every entry at every checkpoint was
// a third of the apply loop's time under write load (issue 10, docs/PERFORMANCE.md).
//
// Reads look like a const std::map<K, V>: find, at, count, contains, size, empty, lower_bound
// and iteration in key order (a forward iterator), where an element is a pair of references
// (first: const K&, second: const V&). Writes go through Emplace and Mutable; there is no
// erase (the ledgers that use it only grow: a fork's rollback refolds the state). A reference
// to a value taken before a write may not see that write (it may be the copy another map
// shares): do not hold references or iterators across writes.
// Thread safety: not thread-safe, and neither are its copies as a set: a map and every copy of
// it must be used from one thread (the apply loop, for the folded state), because whether a
// node or a value is shared is read from its reference count without synchronisation.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include <absl/container/inlined_vector.h>

#include "server/base/check.h"

namespace constellation::core {

template <typename K, typename V, typename Less = std::less<K>>
class PersistentMap {
 public:
  // The most keys a leaf holds and children an inner node has; a node that would hold one more
  // splits in two halves. 32 keeps a 1M-entry map four levels deep and a clone of a node small.
  static constexpr size_t kMaxEntries = 32;
  static_assert(kMaxEntries >= 3, "a split must leave each inner node at least one key");

 private:
  struct Node {
    // A leaf: keys[i] is the key of values[i], ascending. An inner node: children.size() ==
    // keys.size() + 1 and keys[i] is the least key under children[i + 1]. Every node but an
    // empty map's root holds at least one key.
    std::vector<K> keys;
    std::vector<std::shared_ptr<V>> values;
    std::vector<std::shared_ptr<Node>> children;
    bool leaf() const { return children.empty(); }
  };

 public:
  using key_type = K;
  using mapped_type = V;
  using size_type = size_t;

  PersistentMap() = default;
  // A copy shares every node. No move operations: a move is this O(1) copy, which leaves the
  // source whole (a moved-from map with a null root but its old size would be inconsistent).
  PersistentMap(const PersistentMap&) = default;
  PersistentMap& operator=(const PersistentMap&) = default;

  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = std::pair<const K&, const V&>;
    using difference_type = std::ptrdiff_t;
    using reference = value_type;
    // operator-> returns a value holding the pair, whose own operator-> the language applies.
    struct pointer {
      value_type item;
      const value_type* operator->() const { return &item; }
    };

    const_iterator() = default;
    value_type operator*() const {
      const auto& [leaf, i] = path_.back();
      return {leaf->keys[i], *leaf->values[i]};
    }
    pointer operator->() const { return pointer{**this}; }
    const_iterator& operator++() {
      Next();
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator before = *this;
      Next();
      return before;
    }
    // Equal when both are end() or both stand on the same entry (whose path is unique).
    bool operator==(const const_iterator& other) const {
      if (path_.empty() || other.path_.empty()) return path_.empty() == other.path_.empty();
      return path_.back() == other.path_.back();
    }
    bool operator!=(const const_iterator& other) const { return !(*this == other); }

   private:
    friend class PersistentMap;

    // Appends the path from `node` down to its least entry.
    void DescendToFirst(const Node* node) {
      for (;;) {
        path_.emplace_back(node, 0);
        if (node->leaf()) return;
        node = node->children.front().get();
      }
    }
    // From a leaf index one past its last key (or any entry): to the next entry, or end().
    void Next() {
      if (++path_.back().second < path_.back().first->keys.size()) return;
      path_.pop_back();
      while (!path_.empty()) {
        auto& [node, child] = path_.back();
        if (++child < node->children.size()) {
          DescendToFirst(node->children[child].get());
          return;
        }
        path_.pop_back();
      }
    }

    // From the root to the entry's leaf: (node, index of the child or of the key). Empty: end().
    absl::InlinedVector<std::pair<const Node*, size_t>, 6> path_;
  };
  using iterator = const_iterator;

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  const_iterator begin() const {
    const_iterator it;
    if (root_ != nullptr && !root_->keys.empty()) it.DescendToFirst(root_.get());
    return it;
  }
  const_iterator end() const { return const_iterator(); }

  // The first entry whose key is not less than `key`, or end().
  const_iterator lower_bound(const K& key) const {
    const_iterator it;
    if (root_ == nullptr || root_->keys.empty()) return it;
    const Node* node = root_.get();
    while (!node->leaf()) {
      const size_t child = ChildFor(*node, key);
      it.path_.emplace_back(node, child);
      node = node->children[child].get();
    }
    const size_t i = LowerIndex(*node, key);
    it.path_.emplace_back(node, i);
    // Past the leaf's last key: the next leaf's first entry (or end()).
    if (i == node->keys.size()) {
      --it.path_.back().second;
      it.Next();
    }
    return it;
  }
  const_iterator find(const K& key) const {
    const_iterator it = lower_bound(key);
    if (it == end() || less_(key, (*it).first)) return end();
    return it;
  }
  size_t count(const K& key) const { return find(key) == end() ? 0 : 1; }
  bool contains(const K& key) const { return find(key) != end(); }
  // The value of `key`, which must be present (a programmer error otherwise, as std::map::at).
  const V& at(const K& key) const {
    const_iterator it = find(key);
    CONSTELLATION_CHECK(it != end());
    return (*it).second;
  }

  // Inserts `value` under `key` unless the key is present; returns the value held under `key`,
  // writable (unshared first, as Mutable) and whether it was inserted.
  std::pair<V*, bool> Emplace(const K& key, V value) {
    if (root_ == nullptr) root_ = std::make_shared<Node>();
    Inserted result;
    std::optional<Split> split = Insert(*Unshared(root_), key, value, result);
    if (split.has_value()) {
      auto root = std::make_shared<Node>();
      root->keys.push_back(std::move(split->least_key));
      root->children.push_back(std::move(root_));
      root->children.push_back(std::move(split->right));
      root_ = std::move(root);
    }
    if (result.inserted) ++size_;
    return {result.value, result.inserted};
  }

  // The value of `key`, which must be present, for writing: every node on its path and the
  // value are cloned first when another copy of the map shares them.
  V& Mutable(const K& key) {
    CONSTELLATION_CHECK(root_ != nullptr);
    Node* node = Unshared(root_);
    while (!node->leaf()) node = Unshared(node->children[ChildFor(*node, key)]);
    const size_t i = LowerIndex(*node, key);
    CONSTELLATION_CHECK(i < node->keys.size() && !less_(key, node->keys[i]));
    return *Unshared(node->values[i]);
  }

 private:
  // A node's right half after a split, and the least key under it.
  struct Split {
    K least_key;
    std::shared_ptr<Node> right;
  };
  struct Inserted {
    V* value = nullptr;
    bool inserted = false;
  };

  // The child of inner node `node` whose keys range holds `key`.
  size_t ChildFor(const Node& node, const K& key) const {
    return std::upper_bound(node.keys.begin(), node.keys.end(), key, less_) - node.keys.begin();
  }
  size_t LowerIndex(const Node& node, const K& key) const {
    return std::lower_bound(node.keys.begin(), node.keys.end(), key, less_) - node.keys.begin();
  }

  // `p`'s object, cloned first when another pointer shares it.
  template <typename T>
  static T* Unshared(std::shared_ptr<T>& p) {
    if (p.use_count() > 1) p = std::make_shared<T>(*p);
    return p.get();
  }

  // Inserts into the subtree of `node` (unshared by the caller); the node's right half when it
  // had to split.
  std::optional<Split> Insert(Node& node, const K& key, V& value, Inserted& result) {
    if (node.leaf()) {
      const size_t i = LowerIndex(node, key);
      if (i < node.keys.size() && !less_(key, node.keys[i])) {
        result.value = Unshared(node.values[i]);
        return std::nullopt;
      }
      // Everything that may throw before the first insert, so that keys and values stay in
      // step if one does.
      auto stored = std::make_shared<V>(std::move(value));
      node.keys.reserve(node.keys.size() + 1);
      node.values.reserve(node.values.size() + 1);
      node.keys.insert(node.keys.begin() + i, key);
      node.values.insert(node.values.begin() + i, std::move(stored));
      result = {node.values[i].get(), true};
      if (node.keys.size() <= kMaxEntries) return std::nullopt;
      const size_t half = node.keys.size() / 2;
      auto right = std::make_shared<Node>();
      MoveTail(node.keys, half, right->keys);
      MoveTail(node.values, half, right->values);
      K least = right->keys.front();
      return Split{std::move(least), std::move(right)};
    }
    const size_t child = ChildFor(node, key);
    std::optional<Split> split = Insert(*Unshared(node.children[child]), key, value, result);
    if (!split.has_value()) return std::nullopt;
    node.keys.reserve(node.keys.size() + 1);
    node.children.reserve(node.children.size() + 1);
    node.keys.insert(node.keys.begin() + child, std::move(split->least_key));
    node.children.insert(node.children.begin() + child + 1, std::move(split->right));
    if (node.children.size() <= kMaxEntries) return std::nullopt;
    // children[half..] move right; keys[half - 1], the least key under children[half], goes up.
    const size_t half = node.children.size() / 2;
    auto right = std::make_shared<Node>();
    MoveTail(node.children, half, right->children);
    MoveTail(node.keys, half, right->keys);
    K least = std::move(node.keys.back());
    node.keys.pop_back();
    return Split{std::move(least), std::move(right)};
  }

  // Moves from[from_index..] to the empty `to`.
  template <typename T>
  static void MoveTail(std::vector<T>& from, size_t from_index, std::vector<T>& to) {
    to.reserve(kMaxEntries + 1);
    to.assign(std::make_move_iterator(from.begin() + from_index),
              std::make_move_iterator(from.end()));
    from.erase(from.begin() + from_index, from.end());
  }

  std::shared_ptr<Node> root_;  // null until the first Emplace
  size_t size_ = 0;
  [[no_unique_address]] Less less_;
};

}  // namespace constellation::core
