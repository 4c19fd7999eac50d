// tests/testing/full_disk.h
//
// FullDiskFileSystem: a RocksDB file system (the storage seam of RocksStoreOptions::file_system,
// like LevelDB's Env) over the real one, whose writes fail as on a full disk while SetFull(true)
// holds: creating or reopening a writable file, appending to one and syncing it return
// IOStatus::NoSpace(), and GetFreeSpace reports 0 bytes. Reads always work. Data written before
// the disk filled stays on the real disk.
// Thread safety: SetFull may be called from any thread while RocksDB runs.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include <rocksdb/file_system.h>
#include <rocksdb/io_status.h>

namespace constellation::testing {

class FullDiskFileSystem final : public rocksdb::FileSystemWrapper {
 public:
  FullDiskFileSystem() : FileSystemWrapper(rocksdb::FileSystem::Default()) {}

  static const char* kClassName() { return "FullDiskFileSystem"; }
  const char* Name() const override { return kClassName(); }

  void SetFull(bool full) { full_->store(full); }

  rocksdb::IOStatus NewWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* file,
                                    rocksdb::IODebugContext* debug) override {
    if (full_->load()) return NoSpace(name);
    return Wrap(target()->NewWritableFile(name, options, file, debug), file);
  }
  rocksdb::IOStatus ReopenWritableFile(const std::string& name,
                                       const rocksdb::FileOptions& options,
                                       std::unique_ptr<rocksdb::FSWritableFile>* file,
                                       rocksdb::IODebugContext* debug) override {
    if (full_->load()) return NoSpace(name);
    return Wrap(target()->ReopenWritableFile(name, options, file, debug), file);
  }
  rocksdb::IOStatus ReuseWritableFile(const std::string& name, const std::string& old_name,
                                      const rocksdb::FileOptions& options,
                                      std::unique_ptr<rocksdb::FSWritableFile>* file,
                                      rocksdb::IODebugContext* debug) override {
    if (full_->load()) return NoSpace(name);
    return Wrap(target()->ReuseWritableFile(name, old_name, options, file, debug), file);
  }
  rocksdb::IOStatus GetFreeSpace(const std::string& path, const rocksdb::IOOptions& options,
                                 uint64_t* free_bytes, rocksdb::IODebugContext* debug) override {
    if (full_->load()) {
      *free_bytes = 0;
      return rocksdb::IOStatus::OK();
    }
    return target()->GetFreeSpace(path, options, free_bytes, debug);
  }

 private:
  // A writable file whose appends and syncs fail while the disk is full.
  class File final : public rocksdb::FSWritableFileOwnerWrapper {
   public:
    File(std::unique_ptr<rocksdb::FSWritableFile> file,
         std::shared_ptr<const std::atomic<bool>> full)
        : FSWritableFileOwnerWrapper(std::move(file)), full_(std::move(full)) {}

    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* debug) override {
      if (full_->load()) return NoSpace("append");
      return FSWritableFileOwnerWrapper::Append(data, options, debug);
    }
    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                             const rocksdb::DataVerificationInfo& info,
                             rocksdb::IODebugContext* debug) override {
      if (full_->load()) return NoSpace("append");
      return FSWritableFileOwnerWrapper::Append(data, options, info, debug);
    }
    rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset,
                                       const rocksdb::IOOptions& options,
                                       rocksdb::IODebugContext* debug) override {
      if (full_->load()) return NoSpace("append");
      return FSWritableFileOwnerWrapper::PositionedAppend(data, offset, options, debug);
    }
    rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset,
                                       const rocksdb::IOOptions& options,
                                       const rocksdb::DataVerificationInfo& info,
                                       rocksdb::IODebugContext* debug) override {
      if (full_->load()) return NoSpace("append");
      return FSWritableFileOwnerWrapper::PositionedAppend(data, offset, options, info, debug);
    }
    rocksdb::IOStatus Sync(const rocksdb::IOOptions& options,
                           rocksdb::IODebugContext* debug) override {
      if (full_->load()) return NoSpace("sync");
      return FSWritableFileOwnerWrapper::Sync(options, debug);
    }
    rocksdb::IOStatus Fsync(const rocksdb::IOOptions& options,
                            rocksdb::IODebugContext* debug) override {
      if (full_->load()) return NoSpace("fsync");
      return FSWritableFileOwnerWrapper::Fsync(options, debug);
    }

   private:
    std::shared_ptr<const std::atomic<bool>> full_;
  };

  static rocksdb::IOStatus NoSpace(const std::string& what) {
    return rocksdb::IOStatus::NoSpace(what, "No space left on device (FullDiskFileSystem)");
  }

  rocksdb::IOStatus Wrap(rocksdb::IOStatus status,
                         std::unique_ptr<rocksdb::FSWritableFile>* file) const {
    if (status.ok()) *file = std::make_unique<File>(std::move(*file), full_);
    return status;
  }

  // Shared with the files, which may outlive this object inside RocksDB.
  std::shared_ptr<std::atomic<bool>> full_ = std::make_shared<std::atomic<bool>>(false);
};

}  // namespace constellation::testing
