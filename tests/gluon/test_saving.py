"""nd.save/nd.load, and a block's parameters saved and loaded (by place and by name)."""

from __future__ import annotations

import numpy as np
import pytest

import autogradviz as mx
from autogradviz import nd
from autogradviz.gluon import nn
from autogradviz.gluon.serialization import structural_params


def test_nd_save_and_load_a_list_a_dict_and_one_array(tmp_path):
    path = str(tmp_path / "arrays")  # no extension: nothing is added to the name
    nd.save(path, [nd.array([1, 2]), nd.ones((2, 2), dtype="float64")])
    loaded = nd.load(path)
    assert isinstance(loaded, list) and loaded[0].asnumpy().tolist() == [1.0, 2.0]
    assert loaded[1].dtype == np.float64
    nd.save(path, {"b": nd.zeros(1), "a": nd.ones(1)})
    assert list(nd.load(path)) == ["b", "a"]  # in saved order
    nd.save(path, nd.array([5.0]))
    assert nd.load(path)[0].asnumpy().tolist() == [5.0]


def test_nd_save_refuses_what_is_not_an_array_and_load_what_it_did_not_write(tmp_path):
    with pytest.raises(TypeError, match=r"item 1 is a list, not an NDArray"):
        nd.save(str(tmp_path / "x"), [nd.ones(1), [1, 2]])
    with pytest.raises(TypeError, match="dict keys must be names"):
        nd.save(str(tmp_path / "x"), {1: nd.ones(1)})
    (tmp_path / "mxnet.params").write_bytes(b"\x12\x01\x00\x00binary")
    with pytest.raises(ValueError, match="not a file saved by autogradviz's nd.save"):
        nd.load(str(tmp_path / "mxnet.params"))


def _mlp():
    net = nn.Sequential()
    with net.name_scope():
        net.add(nn.Dense(4, activation="relu"), nn.Dense(2))
    return net


def _saved_mlp(path, save="save_parameters"):
    """An initialized MLP on 3 inputs, saved to ``path`` with ``save``; return it."""
    net = _mlp()
    net.initialize()
    net(nd.ones((1, 3)))
    getattr(net, save)(str(path))
    return net


def test_save_parameters_round_trip_into_a_network_with_other_names(tmp_path):
    net = _mlp()
    net.initialize(mx.init.Normal(1.0))
    x = nd.array(np.random.default_rng(0).normal(size=(3, 5)))
    expected = net(x).asnumpy()
    net.save_parameters(str(tmp_path / "net.params"))
    again = _mlp()  # sequential1_...: other names, the same structure
    assert list(again.collect_params())[0] != list(net.collect_params())[0]
    again.load_parameters(str(tmp_path / "net.params"), ctx=mx.cpu())
    assert again[0].weight.shape == (4, 5)  # shapes come from the file
    np.testing.assert_array_equal(again(x).asnumpy(), expected)


def test_load_parameters_missing_and_extra_entries_say_what_to_pass(tmp_path):
    path = str(tmp_path / "net.params")
    _saved_mlp(path)
    bigger = nn.Sequential()
    with bigger.name_scope():
        bigger.add(nn.Dense(4, activation="relu"), nn.Dense(2), nn.Dense(1))
    with pytest.raises(ValueError, match=r"'2.weight' is missing .*allow_missing=True"):
        bigger.load_parameters(path)
    smaller = nn.Sequential()
    with smaller.name_scope():
        smaller.add(nn.Dense(4, activation="relu"))
    with pytest.raises(ValueError, match=r"'1.weight' .* is not a parameter .*ignore_extra=True"):
        smaller.load_parameters(path)
    smaller.load_parameters(path, ignore_extra=True)
    assert smaller[0].weight.shape == (4, 3)


def test_load_parameters_wrong_shape_changes_nothing(tmp_path):
    path = str(tmp_path / "net.params")
    _saved_mlp(path)
    other = nn.Sequential()
    with other.name_scope():
        other.add(nn.Dense(4, in_units=3, activation="relu"), nn.Dense(2, in_units=7))
    other.initialize(mx.init.Zero())
    with pytest.raises(ValueError, match=r"'1.weight' .* has shape \(2, 7\), but the file"):
        other.load_parameters(path)
    assert float(other[0].weight.data().abs().sum().asscalar()) == 0.0  # nothing written


def test_save_params_by_name_without_the_prefix(tmp_path):
    path = str(tmp_path / "old.params")
    with pytest.warns(UserWarning, match="save_params is deprecated .*use save_parameters"):
        net = _saved_mlp(path, save="save_params")
    assert list(nd.load(path))[0] == "dense0_weight"
    again = _mlp()
    with pytest.warns(UserWarning, match="load_params is deprecated .*use load_parameters"):
        again.load_params(path)
    np.testing.assert_array_equal(again[1].bias.data().asnumpy(), net[1].bias.data().asnumpy())


def test_nd_save_keeps_any_name_and_load_refuses_a_single_npy(tmp_path):
    path = str(tmp_path / "names")
    nd.save(path, {"file": nd.ones(1), "allow_pickle": nd.zeros(1)})  # numpy's own argument names
    assert list(nd.load(path)) == ["file", "allow_pickle"]
    np.save(tmp_path / "single.npy", np.ones(2))
    with pytest.raises(ValueError, match="a single .npy array"):
        nd.load(str(tmp_path / "single.npy"))


def test_load_parameters_reads_the_older_format_and_checks_dtypes(tmp_path):
    old = str(tmp_path / "old.params")
    with pytest.warns(UserWarning, match="save_params is deprecated"):
        net = _saved_mlp(old, save="save_params")
    again = _mlp()
    again.load_parameters(old)  # no "." in the names: matched by name (and no warning)
    np.testing.assert_array_equal(again[0].weight.data().asnumpy(), net[0].weight.data().asnumpy())
    wide = str(tmp_path / "wide.params")
    nd.save(wide, {k: p.data().astype("float64") for k, p in structural_params(net).items()})
    with pytest.raises(ValueError, match=r"is float32, but the file .* holds float64.*cast_dtype"):
        _mlp().load_parameters(wide)
    cast = _mlp()
    cast.load_parameters(wide, cast_dtype=True)
    assert cast[1].bias.data().dtype == np.float32
