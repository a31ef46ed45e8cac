"""The disk cache of analysed datasets (geo.analysis.cache) and its use by the dashboard."""

from __future__ import annotations

import logging
import os
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest

from geo import Gazetteer
from geo.analysis import cache as analysiscache
from geo.analysis.analysed import Analysis
from geo.analysis.cache import cache_dir, cache_key, cached_analysis, load, store
from geo.analysis.filter import Filter
from geo.bundled import dataset_dir
from geo.dataset.ingest import DatasetFiles, collect


@pytest.fixture
def files() -> DatasetFiles:
    return collect(dataset_dir())


def _same_summary(a: Analysis, b: Analysis, policy: str = "lowest") -> None:
    sa, sb = a.summary(Filter.from_text(policy=policy)), b.summary(Filter.from_text(policy=policy))
    for frame in ("incidents", "districts", "totals", "unresolved"):
        pd.testing.assert_frame_equal(getattr(sa, frame), getattr(sb, frame))


def test_round_trip_gives_the_same_figures(tmp_path: Path, files: DatasetFiles,
                                           gaz: Gazetteer) -> None:
    fresh, hit = cached_analysis(files, gaz, tmp_path)
    assert not hit
    fresh.summary(Filter.from_text(policy="official"))
    entry = store(files, fresh, tmp_path)
    assert entry is not None and entry.parent == tmp_path
    got, hit = cached_analysis(files, gaz, tmp_path)
    assert hit
    assert "official" in got.figures_computed()  # figures computed before are kept
    assert got.dataset.root == Path(files.origin)
    assert got.gazetteer is gaz
    for policy in ("lowest", "official", "highest"):
        _same_summary(fresh, got, policy)
    pd.testing.assert_frame_equal(fresh.located.unresolved, got.located.unresolved)


def test_same_content_elsewhere_is_a_hit_with_its_own_root(tmp_path: Path,
                                                           files: DatasetFiles,
                                                           gaz: Gazetteer) -> None:
    an, _ = cached_analysis(files, gaz, tmp_path / "cache")
    store(files, an, tmp_path / "cache")
    copy = tmp_path / "copy"
    copy.mkdir()
    for name, data in files.files.items():
        (copy / name).write_bytes(data)
    got = load(collect(copy), gaz, tmp_path / "cache")
    assert got is not None and got.dataset.root == copy


def test_any_change_of_data_gazetteer_or_code_is_a_miss(
        tmp_path: Path, files: DatasetFiles, gaz: Gazetteer,
        monkeypatch: pytest.MonkeyPatch) -> None:
    an, _ = cached_analysis(files, gaz, tmp_path)
    store(files, an, tmp_path)
    assert load(files, gaz, tmp_path) is not None
    # the data: one byte more in a file
    changed = DatasetFiles(files.origin, {**files.files, "claims.csv":
                                          files.files["claims.csv"] + b"\n"})
    assert load(changed, gaz, tmp_path) is None
    # the gazetteer: one more place, or another fuzzy threshold
    extra = tmp_path / "extra.csv"
    extra.write_text("name,lat,lon\nNew Place,30.1,66.9\n")
    assert load(files, Gazetteer.load(extra), tmp_path) is None
    assert load(files, Gazetteer.load(fuzzy_threshold=90), tmp_path) is None
    # the code
    monkeypatch.setattr(analysiscache, "_code_version", lambda: "another version")
    assert load(files, gaz, tmp_path) is None


def test_equal_gazetteers_share_entries(gaz: Gazetteer) -> None:
    assert analysiscache.gazetteer_fingerprint(Gazetteer.load()) == \
        analysiscache.gazetteer_fingerprint(gaz)


def test_a_damaged_entry_is_a_miss_and_removed(tmp_path: Path, files: DatasetFiles,
                                              gaz: Gazetteer,
                                              caplog: pytest.LogCaptureFixture) -> None:
    an, _ = cached_analysis(files, gaz, tmp_path)
    entry = store(files, an, tmp_path)
    assert entry is not None
    entry.write_bytes(entry.read_bytes()[:100])
    with caplog.at_level(logging.WARNING, logger="geo.analysis.cache"):
        assert load(files, gaz, tmp_path) is None
    assert not entry.exists()
    assert "unreadable cache entry" in caplog.text
    got, hit = cached_analysis(files, gaz, tmp_path)  # computed again
    assert not hit
    _same_summary(an, got)


def test_least_recently_used_entries_go(tmp_path: Path, files: DatasetFiles,
                                        gaz: Gazetteer,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(analysiscache, "MAX_ENTRIES", 2)
    an, _ = cached_analysis(files, gaz, tmp_path)
    variants = [DatasetFiles(files.origin, {**files.files, "claims.csv":
                                            files.files["claims.csv"] + b"\n" * i})
                for i in range(3)]
    for i, v in enumerate(variants):
        entry = store(v, an, tmp_path)
        assert entry is not None
        os.utime(entry, (1000.0 + i, 1000.0 + i))
    assert load(variants[0], gaz, tmp_path) is None  # the oldest went
    assert load(variants[1], gaz, tmp_path) is not None  # used now: the newest
    store(files, an, tmp_path)
    names = {p.name for p in tmp_path.iterdir()}
    assert names == {cache_key(v, gaz) + ".analysis.pickle" for v in (variants[1], files)}


def test_size_limit(tmp_path: Path, files: DatasetFiles, gaz: Gazetteer,
                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(analysiscache, "MAX_BYTES", 1)
    an, _ = cached_analysis(files, gaz, tmp_path)
    other = DatasetFiles(files.origin, {**files.files, "claims.csv":
                                        files.files["claims.csv"] + b"\n"})
    store(other, an, tmp_path)
    time.sleep(0.01)
    store(files, an, tmp_path)
    # over the limit, the newest entry is still kept: the one just written
    assert [p.name for p in tmp_path.iterdir()] == [cache_key(files, gaz) + ".analysis.pickle"]


def test_an_unwritable_folder_is_logged_not_raised(tmp_path: Path, files: DatasetFiles,
                                                   gaz: Gazetteer,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    an, _ = cached_analysis(files, gaz, blocker)
    with caplog.at_level(logging.WARNING, logger="geo.analysis.cache"):
        assert store(files, an, blocker) is None
    assert "could not write the analysis cache" in caplog.text


def test_cache_dir_from_the_environment(monkeypatch: pytest.MonkeyPatch,
                                        tmp_path: Path) -> None:
    monkeypatch.setenv("GEO_CACHE_DIR", str(tmp_path / "c"))
    assert cache_dir() == tmp_path / "c"
    for off in ("off", "", " OFF "):
        monkeypatch.setenv("GEO_CACHE_DIR", off)
        assert cache_dir() is None
    monkeypatch.delenv("GEO_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "geo-incidents"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_dir() == Path.home() / ".cache" / "geo-incidents"


def test_no_folder_no_cache(files: DatasetFiles, gaz: Gazetteer,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEO_CACHE_DIR", "off")
    an, hit = cached_analysis(files, gaz)
    assert not hit
    assert store(files, an) is None
    assert load(files, gaz) is None


def test_the_folder_is_private(tmp_path: Path, files: DatasetFiles, gaz: Gazetteer) -> None:
    an, _ = cached_analysis(files, gaz, tmp_path / "new")
    store(files, an, tmp_path / "new")
    assert (tmp_path / "new").stat().st_mode & 0o077 == 0


def test_dashboard_writes_server_datasets_and_reads_them_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui import data as dashboard_data

    folder = tmp_path / "cache"
    monkeypatch.setenv("GEO_CACHE_DIR", str(folder))
    files = collect(dataset_dir())
    dashboard_data.analyse.clear()
    first = dashboard_data.analyse(files.fingerprint, files, keep=True)
    first.summary()
    assert not folder.exists()  # written once the page is sent, not on its way
    dashboard_data.keep_on_disk(first)
    dashboard_data.keep_on_disk(first)  # once
    assert len(list(folder.glob("*.analysis.pickle"))) == 1
    dashboard_data.analyse.clear()  # as after a restart

    def no_locating(*args: object, **kwargs: object) -> None:
        raise AssertionError("located again instead of read from the cache")

    monkeypatch.setattr("geo.analysis.analysed.locate_incidents", no_locating)
    again = dashboard_data.analyse(files.fingerprint, files, keep=True)
    assert again is not first
    _same_summary(first, again)
    dashboard_data.analyse.clear()


def test_dashboard_never_writes_uploads(tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from ui import data as dashboard_data

    folder = tmp_path / "cache"
    monkeypatch.setenv("GEO_CACHE_DIR", str(folder))
    files = collect(dataset_dir())
    dashboard_data.analyse.clear()
    upload = dashboard_data.analyse(files.fingerprint, files)  # keep=False: an upload
    dashboard_data.keep_on_disk(upload)
    assert not folder.exists()
    dashboard_data.analyse.clear()


def test_the_code_version_covers_every_module_of_every_subpackage(tmp_path: Path) -> None:
    package = Path(analysiscache.__file__).resolve().parents[1]
    copy = tmp_path / "geo"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    base = analysiscache.code_hash(copy)
    assert base == analysiscache._code_version()  # the same code, the same version
    deep = sorted(copy.glob("*/*/*.py"))  # a module two levels down (geo/maps/web/...)
    assert deep, "the package has sub-subpackages"
    for module in (copy / "errors.py", copy / "analysis" / "summary.py", deep[0]):
        text = module.read_bytes()
        module.write_bytes(text + b"\n# changed\n")
        assert analysiscache.code_hash(copy) != base, module
        module.write_bytes(text)
    (copy / "export" / "new_format.py").write_text('"""A new module."""\n')
    assert analysiscache.code_hash(copy) != base


# --- who may write the cache: a planted entry must never be unpickled ----------------


@pytest.fixture(autouse=True)
def _key_under_tmp(tmp_path_factory: pytest.TempPathFactory,
                   monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's key file in its own configuration folder, never the user's."""
    config = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    return config / "geo-incidents" / "analysis-cache.key"


class _Planted:
    """Unpickled, it creates the file *marker*: proof that the cache ran its code."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return open, (str(self.marker), "w")


def _plant(folder: Path, files: DatasetFiles, gaz: Gazetteer, data: bytes) -> Path:
    """*data* as the entry a server would read for *files* (its name is predictable)."""
    folder.mkdir(exist_ok=True)
    entry = folder / (cache_key(files, gaz) + ".analysis.pickle")
    entry.write_bytes(data)
    return entry


def _with_owner(st: os.stat_result, uid: int) -> os.stat_result:
    return os.stat_result((st.st_mode, st.st_ino, st.st_dev, st.st_nlink, uid, st.st_gid,
                           st.st_size, st.st_atime, st.st_mtime, st.st_ctime))


@pytest.mark.parametrize("mode", [0o777, 0o1777, 0o775, 0o757])
def test_a_planted_pickle_in_a_folder_others_can_write_never_runs(
        tmp_path: Path, files: DatasetFiles, gaz: Gazetteer, mode: int,
        caplog: pytest.LogCaptureFixture) -> None:
    import pickle

    folder, marker = tmp_path / "shared", tmp_path / "marker"
    entry = _plant(folder, files, gaz, pickle.dumps(_Planted(marker)))
    folder.chmod(mode)
    with caplog.at_level(logging.WARNING, logger="geo.analysis.cache"):
        an, hit = cached_analysis(files, gaz, folder)
        assert load(files, gaz, folder) is None
        assert store(files, an, folder) is None  # not written there either
    assert not hit and not marker.exists()
    assert entry.exists()  # others' files in a folder not ours are left alone
    assert [p.name for p in folder.iterdir()] == [entry.name]
    refusals = [r.getMessage() for r in caplog.records if "analysis cache off" in r.getMessage()]
    assert len(refusals) == 1  # said once
    assert str(folder) in refusals[0] and "writable by" in refusals[0]


def test_an_entry_of_the_user_is_not_read_from_a_folder_others_can_write(
        tmp_path: Path, files: DatasetFiles, gaz: Gazetteer) -> None:
    an, _ = cached_analysis(files, gaz, tmp_path / "c")
    assert store(files, an, tmp_path / "c") is not None
    (tmp_path / "c").chmod(0o777)  # another user may have swapped it since
    assert load(files, gaz, tmp_path / "c") is None


@pytest.mark.parametrize("how", ["stat", "geteuid"])
def test_a_planted_pickle_in_a_folder_of_another_user_never_runs(
        tmp_path: Path, files: DatasetFiles, gaz: Gazetteer, how: str,
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    import pickle

    folder, marker = tmp_path / "theirs", tmp_path / "marker"
    entry = _plant(folder, files, gaz, pickle.dumps(_Planted(marker)))
    folder.chmod(0o755)
    other = os.geteuid() + 1
    if how == "stat":  # the folder only is another user's
        real_stat = os.stat

        def stat(path: object, *args: object, **kwargs: object) -> os.stat_result:
            st = real_stat(path, *args, **kwargs)  # type: ignore[arg-type]
            return _with_owner(st, other) if str(path) == str(folder) else st

        monkeypatch.setattr(os, "stat", stat)
    else:  # every file is another user's, as if the server ran as someone else
        monkeypatch.setattr(os, "geteuid", lambda: other)
    with caplog.at_level(logging.WARNING, logger="geo.analysis.cache"):
        _, hit = cached_analysis(files, gaz, folder)
    assert not hit and not marker.exists() and entry.exists()
    assert f"{folder} is not safe to use" in caplog.text and "owned by user id" in caplog.text


def test_a_wrong_authentication_code_is_never_unpickled(
        tmp_path: Path, files: DatasetFiles, gaz: Gazetteer,
        caplog: pytest.LogCaptureFixture) -> None:
    import pickle

    from geo.analysis.cache_trust import MAGIC, seal

    marker = tmp_path / "marker"
    planted = pickle.dumps(_Planted(marker))
    other_name = cache_key(DatasetFiles(files.origin, {}), gaz)
    for data in (planted,  # a bare pickle
                 MAGIC + bytes(32) + planted,  # a made-up code
                 seal(b"k" * 32, cache_key(files, gaz), planted),  # another key
                 ):
        entry = _plant(tmp_path / "private", files, gaz, data)
        with caplog.at_level(logging.WARNING, logger="geo.analysis.cache"):
            _, hit = cached_analysis(files, gaz, tmp_path / "private")
        assert not hit and not marker.exists()
        assert not entry.exists()  # removed: the folder is the user's own
    assert caplog.text.count("ignoring unreadable cache entry") == 3
    # a real entry renamed to another dataset's name is refused too
    an, _ = cached_analysis(files, gaz, tmp_path / "private")
    entry = store(files, an, tmp_path / "private")
    assert entry is not None
    entry.rename(entry.with_name(other_name + ".analysis.pickle"))
    assert load(DatasetFiles(files.origin, {}), gaz, tmp_path / "private") is None


def test_an_entry_others_can_write_or_of_another_user_is_not_read(
        tmp_path: Path, files: DatasetFiles, gaz: Gazetteer,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import pickle

    from geo.analysis.cache_trust import read_key, seal

    marker = tmp_path / "marker"
    signed = seal(read_key(), cache_key(files, gaz), pickle.dumps(_Planted(marker)))
    entry = _plant(tmp_path / "c", files, gaz, signed)
    entry.chmod(0o666)
    assert load(files, gaz, tmp_path / "c") is None
    assert not marker.exists() and not entry.exists()
    entry = _plant(tmp_path / "c", files, gaz, signed)
    inode, real_fstat = entry.stat().st_ino, os.fstat

    def fstat(fd: int) -> os.stat_result:
        st = real_fstat(fd)
        return _with_owner(st, os.geteuid() + 1) if st.st_ino == inode else st

    monkeypatch.setattr(os, "fstat", fstat)
    assert load(files, gaz, tmp_path / "c") is None
    assert not marker.exists() and not entry.exists()


def test_the_key_is_private_and_outside_the_cache_folder(
        tmp_path: Path, files: DatasetFiles, gaz: Gazetteer, _key_under_tmp: Path) -> None:
    an, _ = cached_analysis(files, gaz, tmp_path / "c")
    store(files, an, tmp_path / "c")
    key = _key_under_tmp
    assert key.stat().st_mode & 0o777 == 0o600 and key.stat().st_size == 32
    assert key.parent.stat().st_mode & 0o077 == 0
    before = key.read_bytes()
    assert load(files, gaz, tmp_path / "c") is not None
    assert key.read_bytes() == before  # made once, then reused
    key.unlink()  # a new key: earlier entries are misses, removed
    assert load(files, gaz, tmp_path / "c") is None
    assert list((tmp_path / "c").iterdir()) == []


@pytest.mark.parametrize("problem", ["readable", "foreign", "short", "open folder"])
def test_a_key_file_that_is_not_private_switches_the_cache_off(
        tmp_path: Path, files: DatasetFiles, gaz: Gazetteer, _key_under_tmp: Path,
        problem: str, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    an, _ = cached_analysis(files, gaz, tmp_path / "c")
    store(files, an, tmp_path / "c")
    key = _key_under_tmp
    if problem == "readable":
        key.chmod(0o644)
    elif problem == "short":
        key.write_bytes(b"guessable")
    elif problem == "open folder":
        key.unlink()
        key.parent.chmod(0o777)
    else:
        inode, real_fstat = key.stat().st_ino, os.fstat

        def fstat(fd: int) -> os.stat_result:
            st = real_fstat(fd)
            return _with_owner(st, os.geteuid() + 1) if st.st_ino == inode else st

        monkeypatch.setattr(os, "fstat", fstat)
    with caplog.at_level(logging.WARNING, logger="geo.analysis.cache"):
        assert load(files, gaz, tmp_path / "c") is None
        assert store(files, an, tmp_path / "c") is None
    assert caplog.text.count("analysis cache off") == 1
    assert str(key) in caplog.text or str(key.parent) in caplog.text
    assert len(list((tmp_path / "c").iterdir())) == 1  # the entry is kept for a good key


def test_stale_temporary_files_go_when_the_cache_is_first_used(
        tmp_path: Path, files: DatasetFiles, gaz: Gazetteer) -> None:
    folder = tmp_path / "c"
    folder.mkdir(mode=0o700)
    names = [".geo-tmp-abcd1234.analysis.pickle", ".tmp-abcd1234.analysis.pickle",
             ".geo-tmp-fresh.analysis.pickle", "notes.txt"]
    for name in names:
        (folder / name).write_bytes(b"x" * 1000)
    for name in names[:2] + names[3:]:
        os.utime(folder / name, (time.time() - 7200,) * 2)
    assert load(files, gaz, folder) is None  # as at a server's start
    assert sorted(p.name for p in folder.iterdir()) == sorted(names[2:])
