// ImportBundle: header lines up to the blank line, then the pack streamed through
// git_odb_write_pack (libgit2's indexer writes the .pack and .idx), then the refs.
#include "evals/git/bundle.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string>
#include <utility>
#include <vector>

#include "base/file.h"
#include "evals/git/git_handle.h"

namespace fathom::evals::git {
namespace {

constexpr size_t kChunk = 1 << 20;
constexpr size_t kMaxHeader = 64 << 20;
constexpr std::string_view kSignature = "# v2 git bundle\n";

struct BundleRef {
  git_oid target;
  std::string name;
};

using WritePackHandle = std::unique_ptr<git_odb_writepack, void (*)(git_odb_writepack*)>;

// Appends up to kChunk bytes read from `fd` to `buffer`; returns how many (0 at end of file).
base::Result<size_t> ReadChunk(int fd, std::string& buffer) {
  const size_t used = buffer.size();
  buffer.resize(used + kChunk);
  for (;;) {
    const ssize_t count = ::read(fd, buffer.data() + used, kChunk);
    if (count >= 0) {
      buffer.resize(used + static_cast<size_t>(count));
      return static_cast<size_t>(count);
    }
    if (errno != EINTR) {
      buffer.resize(used);
      return base::ErrnoError("read", errno);
    }
  }
}

// Reads until the header's terminating blank line; returns the header (through that line) and
// leaves the pack bytes read so far in `rest`.
base::Result<std::string> ReadHeader(int fd, std::string& rest) {
  std::string buffer;
  for (;;) {
    const size_t end = buffer.find("\n\n");
    if (end != std::string::npos) {
      rest = buffer.substr(end + 2);
      buffer.resize(end + 1);
      return buffer;
    }
    if (buffer.size() > kMaxHeader) return base::InvalidArgumentError("header too long");
    FATHOM_ASSIGN_OR_RETURN(const size_t count, ReadChunk(fd, buffer));
    if (count == 0) return base::InvalidArgumentError("no end of header (truncated?)");
  }
}

// The refs of a v2 header ("<hex> <refname>" lines); prerequisite lines ("-<hex> ...") are errors.
base::Result<std::vector<BundleRef>> ParseHeader(std::string_view header) {
  if (!header.starts_with(kSignature)) {
    return base::InvalidArgumentError("not a v2 git bundle (first line is not \"" +
                                      std::string(kSignature.substr(0, kSignature.size() - 1)) +
                                      "\")");
  }
  header.remove_prefix(kSignature.size());
  std::vector<BundleRef> refs;
  for (int number = 2; !header.empty(); ++number) {
    const size_t end = header.find('\n');
    const std::string_view line = header.substr(0, end);
    header.remove_prefix(end + 1);
    if (line.starts_with('-')) {
      return base::FailedPreconditionError(
          "the bundle needs prerequisite commits (line " + std::to_string(number) + ": " +
          std::string(line) + "); only a bundle with the complete history can be imported");
    }
    const size_t space = line.find(' ');
    BundleRef ref;
    if (space != GIT_OID_HEXSZ || space + 1 >= line.size() ||
        git_oid_fromstrn(&ref.target, line.data(), GIT_OID_HEXSZ) != 0) {
      return base::InvalidArgumentError("malformed header line " + std::to_string(number) + ": " +
                                        std::string(line));
    }
    ref.name = line.substr(space + 1);
    refs.push_back(std::move(ref));
  }
  return refs;
}

// Streams the pack (the bytes in `pending`, then the rest of `fd`) into the repository's odb.
base::Status WritePack(git_repository& repository, int fd, std::string pending) {
  git_odb* odb_pointer = nullptr;
  FATHOM_TRY(
      GitCheck(git_repository_odb(&odb_pointer, &repository), "opening the object database"));
  const OdbHandle odb(odb_pointer);
  git_odb_writepack* writepack_pointer = nullptr;
  FATHOM_TRY(GitCheck(git_odb_write_pack(&writepack_pointer, odb.get(), nullptr, nullptr),
                      "starting the pack"));
  const WritePackHandle writepack(writepack_pointer,
                                  [](git_odb_writepack* pack) { pack->free(pack); });
  git_indexer_progress progress{};
  while (!pending.empty()) {
    const int code = writepack->append(writepack.get(), pending.data(), pending.size(), &progress);
    if (code < 0) return base::DataLossError(GitError("reading the pack", code).message());
    pending.clear();
    FATHOM_TRY(ReadChunk(fd, pending));
  }
  const int code = writepack->commit(writepack.get(), &progress);
  if (code < 0) return base::DataLossError(GitError("indexing the pack", code).message());
  return base::Ok();
}

// Writes the refs as one packed-refs file, as a clone does (a loose file per ref is slow: the
// refs/pull/* of a GitHub bundle number thousands), after checking each name and that each
// target arrived in the pack. The bundle's HEAD becomes a detached HEAD.
base::Status WriteRefs(git_repository& repository, std::vector<BundleRef> refs) {
  git_odb* odb_pointer = nullptr;
  FATHOM_TRY(
      GitCheck(git_repository_odb(&odb_pointer, &repository), "opening the object database"));
  const OdbHandle odb(odb_pointer);
  std::sort(refs.begin(), refs.end(),
            [](const BundleRef& a, const BundleRef& b) { return a.name < b.name; });
  std::string packed = "# pack-refs with: sorted \n";
  for (size_t i = 0; i < refs.size(); ++i) {
    const BundleRef& ref = refs[i];
    if (git_odb_exists(odb.get(), &ref.target) == 0) {
      return base::DataLossError("the pack lacks " + OidHex(ref.target) + ", the target of " +
                                 ref.name);
    }
    if (ref.name == "HEAD") {
      FATHOM_TRY(
          GitCheck(git_repository_set_head_detached(&repository, &ref.target), "setting HEAD"));
      continue;
    }
    int valid = 0;
    if (git_reference_name_is_valid(&valid, ref.name.c_str()) < 0 || !valid ||
        !ref.name.starts_with("refs/") || (i > 0 && refs[i - 1].name == ref.name)) {
      return base::InvalidArgumentError("a bad or repeated ref name in the header: " + ref.name);
    }
    packed += OidHex(ref.target) + " " + ref.name + "\n";
  }
  return base::WriteFileAtomically(
      std::filesystem::path(git_repository_path(&repository)) / "packed-refs", packed);
}

base::Status Import(const std::filesystem::path& bundle, const std::filesystem::path& git_dir) {
  FATHOM_ASSIGN_OR_RETURN(const base::UniqueFd fd, base::OpenForReading(bundle));
  std::string pack_start;
  FATHOM_ASSIGN_OR_RETURN(const std::string header, ReadHeader(fd.get(), pack_start));
  FATHOM_ASSIGN_OR_RETURN(std::vector<BundleRef> refs, ParseHeader(header));

  EnsureLibgit2();
  git_repository_init_options options = GIT_REPOSITORY_INIT_OPTIONS_INIT;
  options.flags =
      GIT_REPOSITORY_INIT_BARE | GIT_REPOSITORY_INIT_NO_REINIT | GIT_REPOSITORY_INIT_MKPATH;
  git_repository* repository_pointer = nullptr;
  FATHOM_TRY(GitCheck(git_repository_init_ext(&repository_pointer, git_dir.c_str(), &options),
                      "creating the bare repository " + git_dir.string()));
  const RepositoryHandle repository(repository_pointer);
  FATHOM_TRY(WritePack(*repository, fd.get(), std::move(pack_start)));
  return WriteRefs(*repository, std::move(refs));
}

}  // namespace

base::Status ImportBundle(const std::filesystem::path& bundle,
                          const std::filesystem::path& git_dir) {
  base::Status status = Import(bundle, git_dir);
  if (status.ok()) return status;
  return std::move(status).error().WithContext("importing the bundle " + bundle.string());
}

}  // namespace fathom::evals::git
