#!/usr/bin/python3
"""A float64 NumPy port of DeepSeek-V4's reference prefill (inference/model.py, start_pos 0) with the
numerics of ../shared/fixtures/official_tiny: bf16 activations between ops, FP8 activation
quantisation before FP8/FP4 products, FP8 KV and FP4 indexer QAT rounding, products accumulated in
float64 and rounded once. An independent check of the C++ engine and a probe of how well the
fixture's rows are conditioned (docs/numerics.md). Needs python3-numpy (apt). Usage:

  scripts/dev/official_tiny_reference.py [--length N] [--eps-scale F] [--flip-route LAYER:TOKEN]
      [--save FILE.npy] [--compare-with FILE.npy]
"""
import argparse
import json
import math
import os
import struct

import numpy as np

FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'shared',
                       'fixtures', 'official_tiny')
FP4_VALUES = np.array([0, .5, 1, 1.5, 2, 3, 4, 6, 0, -.5, -1, -1.5, -2, -3, -4, -6])


def e4m3_value(code):
    sign = -1.0 if code & 0x80 else 1.0
    exponent, mantissa = (code >> 3) & 0xF, code & 7
    if exponent == 0xF and mantissa == 7:
        return np.nan
    if exponent == 0:
        return sign * mantissa / 8 * 2.0**-6
    return sign * (1 + mantissa / 8) * 2.0**(exponent - 7)


E4M3 = np.array([e4m3_value(code) for code in range(256)])


def load_safetensors(path):
    data = open(path, 'rb').read()
    header_size = struct.unpack('<Q', data[:8])[0]
    header = json.loads(data[8:8 + header_size])
    tensors = {}
    for name, info in header.items():
        if name == '__metadata__':
            continue
        begin, end = info['data_offsets']
        raw = data[8 + header_size + begin:8 + header_size + end]
        kind = info['dtype']
        if kind == 'F32':
            values = np.frombuffer(raw, '<f4').astype(np.float64)
        elif kind == 'BF16':
            values = (np.frombuffer(raw, '<u2').astype(np.uint32) << 16).view(np.float32)
            values = values.astype(np.float64)
        elif kind == 'F8_E4M3':
            values = E4M3[np.frombuffer(raw, np.uint8)]
        elif kind == 'F8_E8M0':
            values = np.exp2(np.frombuffer(raw, np.uint8).astype(np.float64) - 127)
        elif kind in ('I8', 'U8'):
            values = np.frombuffer(raw, np.uint8).copy()
        elif kind == 'I64':
            values = np.frombuffer(raw, '<i8')
        elif kind == 'I32':
            values = np.frombuffer(raw, '<i4')
        else:
            raise ValueError(f'{name}: dtype {kind}')
        tensors[name] = values.reshape(info['shape'])
    return tensors


def bf16(x):
    mantissa, exponent = np.frexp(np.asarray(x, np.float64))
    return np.ldexp(np.round(mantissa * 256) / 256, exponent)


def f32(x):
    return np.asarray(x, np.float64).astype(np.float32).astype(np.float64)


def pow2_ceil(x):
    return np.exp2(np.ceil(np.log2(x)))


def e4m3_round(v):
    magnitude = np.abs(v)
    _, exponent = np.frexp(magnitude)
    step = np.where(magnitude >= 2.0**-6, np.ldexp(1.0, exponent - 4), 2.0**-9)
    return np.sign(v) * np.round(magnitude / step) * step


def act_quant(x, block):
    """FP8 e4m3 per `block` elements, scale 2^ceil(log2(max(amax, 1e-4) / 448))."""
    groups = x.reshape(*x.shape[:-1], -1, block)
    amax = np.abs(groups).max(-1, keepdims=True)
    scale = pow2_ceil(f32(np.maximum(amax, 1e-4) / 448))
    return (e4m3_round(np.clip(groups / scale, -448, 448)) * scale).reshape(x.shape)


def fp4_act_quant(x, block=32):
    groups = x.reshape(*x.shape[:-1], -1, block)
    amax = np.abs(groups).max(-1, keepdims=True)
    scale = pow2_ceil(np.maximum(amax, 6 * 2.0**-126) / 6)
    v = np.clip(groups / scale, -6, 6)
    step = np.where(np.abs(v) < 2, .5, np.where(np.abs(v) < 4, 1., 2.))
    return (np.sign(v) * np.round(np.abs(v) / step) * step * scale).reshape(x.shape)


def hadamard(x):
    size = x.shape[-1]
    matrix = np.array([[1.]])
    while matrix.shape[0] < size:
        matrix = np.block([[matrix, matrix], [matrix, -matrix]])
    return bf16((x @ matrix) * size**-0.5)


def rope_table(dim, length, original, base, factor, beta_fast, beta_slow):
    """precompute_freqs_cis in float32, as the reference does."""
    freqs = (np.float32(1) / np.float32(base)**(np.arange(0, dim, 2, dtype=np.float32) /
                                                np.float32(dim))).astype(np.float32)
    if original > 0:
        def correction(rotations):
            return dim * math.log(original / (rotations * 2 * math.pi)) / (2 * math.log(base))
        low = max(math.floor(correction(beta_fast)), 0)
        high = min(math.ceil(correction(beta_slow)), dim - 1)
        ramp = np.clip((np.arange(dim // 2, dtype=np.float32) - low) /
                       np.float32(max(high - low, 0.001)), 0, 1).astype(np.float32)
        smooth = (1 - ramp).astype(np.float32)
        freqs = (freqs / np.float32(factor) * (1 - smooth) + freqs * smooth).astype(np.float32)
    angles = np.outer(np.arange(length).astype(np.float32), freqs).astype(np.float32)
    return (np.cos(angles).astype(np.float32).astype(np.float64),
            np.sin(angles).astype(np.float32).astype(np.float64))


def rope(x, table, inverse=False):
    cos, sin = table
    sin = -sin if inverse else sin
    even, odd = x[..., 0::2], x[..., 1::2]
    out = np.empty_like(x)
    out[..., 0::2] = f32(f32(even * cos) - f32(odd * sin))
    out[..., 1::2] = f32(f32(even * sin) + f32(odd * cos))
    return bf16(out)


def rows_of(table, positions, heads_axis):
    cos, sin = table
    cos, sin = cos[positions], sin[positions]
    return (cos[:, None, :], sin[:, None, :]) if heads_axis else (cos, sin)


class Reference:
    def __init__(self, fixture, eps_scale, flips):
        self.w = load_safetensors(os.path.join(fixture, 'model.safetensors'))
        self.config = json.load(open(os.path.join(fixture, 'config.json')))
        self.eps = self.config['rms_norm_eps'] * eps_scale
        self.flips = flips

    def weight(self, name):
        values, scale = self.w[name + '.weight'], self.w.get(name + '.scale')
        if scale is None:
            return values
        if values.dtype == np.uint8:  # FP4, low nibble first
            dense = np.stack([FP4_VALUES[values & 15], FP4_VALUES[values >> 4]], -1)
            dense = dense.reshape(values.shape[0], -1)
            return dense * np.repeat(scale, 32, axis=1)[:, :dense.shape[1]]
        blocks = np.repeat(np.repeat(scale, 128, 0), 128, 1)
        return values * blocks[:values.shape[0], :values.shape[1]]

    def linear(self, x, name):
        if name + '.scale' in self.w:
            x = act_quant(x, 128)
        return bf16(x @ self.weight(name).T)

    def rms_norm(self, x, weight):
        mean = f32((x * x).mean(-1, keepdims=True))
        return bf16(weight * f32(x * f32(1 / np.sqrt(f32(mean + self.eps)))))

    def hc_pre(self, streams, prefix):
        c, hc = self.config, self.config['hc_mult']
        flat = streams.reshape(streams.shape[0], -1)
        mixes = f32(f32(flat @ self.w[prefix + '_fn'].T) *
                    f32(1 / np.sqrt(f32((flat * flat).mean(-1, keepdims=True) + self.eps))))
        scale, base, eps = self.w[prefix + '_scale'], self.w[prefix + '_base'], c['hc_eps']
        pre = 1 / (1 + np.exp(-(mixes[:, :hc] * scale[0] + base[:hc]))) + eps
        post = 2 / (1 + np.exp(-(mixes[:, hc:2 * hc] * scale[1] + base[hc:2 * hc])))
        comb = (mixes[:, 2 * hc:] * scale[2] + base[2 * hc:]).reshape(-1, hc, hc)
        comb = np.exp(comb - comb.max(-1, keepdims=True))
        comb = comb / comb.sum(-1, keepdims=True) + eps
        comb = comb / (comb.sum(-2, keepdims=True) + eps)
        for _ in range(c['hc_sinkhorn_iters'] - 1):
            comb = comb / (comb.sum(-1, keepdims=True) + eps)
            comb = comb / (comb.sum(-2, keepdims=True) + eps)
        return bf16((pre[:, :, None] * streams).sum(1)), post, comb

    @staticmethod
    def hc_post(output, streams, post, comb):
        return bf16(post[:, :, None] * output[:, None, :] + np.einsum('sjk,sjd->skd', comb, streams))

    def compressor(self, prefix, x, ratio, table, indexer, width):
        kv = f32(f32(x) @ self.w[prefix + '.wkv.weight'].T)
        score = f32(f32(x) @ self.w[prefix + '.wgate.weight'].T)
        windows = x.shape[0] // ratio
        if windows == 0:
            return np.zeros((0, width))
        kv = kv[:windows * ratio].reshape(windows, ratio, -1)
        score = score[:windows * ratio].reshape(windows, ratio, -1) + self.w[prefix + '.ape']
        if ratio == 4:  # CSA: the previous window's first half overlaps this window's second half
            slots_kv = np.zeros((windows, 2 * ratio, width))
            slots_score = np.full((windows, 2 * ratio, width), -np.inf)
            slots_kv[:, ratio:], slots_score[:, ratio:] = kv[:, :, width:], score[:, :, width:]
            slots_kv[1:, :ratio], slots_score[1:, :ratio] = kv[:-1, :, :width], score[:-1, :, :width]
            kv, score = slots_kv, slots_score
        weights = np.exp(score - score.max(1, keepdims=True))
        entries = f32((kv * weights / weights.sum(1, keepdims=True)).sum(1))
        entries = self.rms_norm(bf16(entries), self.w[prefix + '.norm.weight'])
        rope_dim = self.config['qk_rope_head_dim']
        entries[:, -rope_dim:] = rope(entries[:, -rope_dim:],
                                      rows_of(table, np.arange(windows) * ratio, False))
        if indexer:
            return fp4_act_quant(hadamard(entries))
        entries[:, :-rope_dim] = act_quant(entries[:, :-rope_dim], 64)
        return entries

    def attention(self, layer, x):
        c, length = self.config, x.shape[0]
        prefix, ratio = f'layers.{layer}.attn', c['compress_ratios'][layer]
        heads, head_dim, rope_dim = c['num_attention_heads'], c['head_dim'], c['qk_rope_head_dim']
        scaling = c['rope_scaling']
        if ratio:
            table = rope_table(rope_dim, length, scaling['original_max_position_embeddings'],
                               c['compress_rope_theta'], scaling['factor'], scaling['beta_fast'],
                               scaling['beta_slow'])
        else:
            table = rope_table(rope_dim, length, 0, c['rope_theta'], 1, 1, 1)
        positions = np.arange(length)
        q_residual = self.rms_norm(self.linear(x, prefix + '.wq_a'), self.w[prefix + '.q_norm.weight'])
        q = self.linear(q_residual, prefix + '.wq_b').reshape(length, heads, head_dim)
        mean = bf16(bf16(q * q).mean(-1, keepdims=True))
        q = bf16(q * bf16(1 / np.sqrt(bf16(mean + self.eps))))
        q[..., -rope_dim:] = rope(q[..., -rope_dim:], rows_of(table, positions, True))
        kv = self.rms_norm(self.linear(x, prefix + '.wkv'), self.w[prefix + '.kv_norm.weight'])
        kv[:, -rope_dim:] = rope(kv[:, -rope_dim:], rows_of(table, positions, False))
        kv[:, :-rope_dim] = act_quant(kv[:, :-rope_dim], 64)
        window = c['sliding_window']
        keys = [list(range(max(0, t - window + 1), t + 1)) for t in positions]
        entries = np.zeros((0, head_dim))
        if ratio:
            entries = self.compressor(prefix + '.compressor', x, ratio, table, False, head_dim)
        if ratio == 4:
            index_heads, index_dim = c['index_n_heads'], c['index_head_dim']
            iq = self.linear(q_residual, prefix + '.indexer.wq_b').reshape(length, index_heads,
                                                                            index_dim)
            iq[..., -rope_dim:] = rope(iq[..., -rope_dim:], rows_of(table, positions, True))
            iq = fp4_act_quant(hadamard(iq))
            index_keys = self.compressor(prefix + '.indexer.compressor', x, ratio, table, True,
                                         index_dim)
            head_weights = bf16(self.linear(x, prefix + '.indexer.weights_proj') *
                                (index_dim**-0.5 * index_heads**-0.5))
            scores = bf16(np.einsum('shd,td->sht', iq, index_keys))
            scores = bf16(bf16(np.maximum(scores, 0) * head_weights[:, :, None]).sum(1))
            for t in positions:
                visible = (t + 1) // ratio
                chosen = sorted(range(visible), key=lambda e: (-scores[t, e], e))[:c['index_topk']]
                keys[t] += [length + e for e in chosen]
        elif ratio:
            for t in positions:
                keys[t] += [length + e for e in range((t + 1) // ratio)]
        all_keys, sink = np.concatenate([kv, entries]), self.w[prefix + '.attn_sink']
        output = np.zeros((length, heads, head_dim))
        for t in positions:
            selected = all_keys[keys[t]]
            logits = (q[t] @ selected.T) * head_dim**-0.5
            top = np.maximum(logits.max(-1, keepdims=True), sink[:, None])
            weights = np.exp(logits - top)
            weights /= weights.sum(-1, keepdims=True) + np.exp(sink[:, None] - top)
            output[t] = bf16(weights @ selected)
        output[..., -rope_dim:] = rope(output[..., -rope_dim:], rows_of(table, positions, True),
                                       inverse=True)
        groups = c['o_groups']
        wo_a = self.weight(prefix + '.wo_a').reshape(groups, c['o_lora_rank'], -1)
        grouped = bf16(np.einsum('sgd,grd->sgr', output.reshape(length, groups, -1), wo_a))
        return self.linear(grouped.reshape(length, -1), prefix + '.wo_b')

    def expert(self, prefix, x, weights):
        limit = self.config['swiglu_limit']
        gate = np.minimum(self.linear(x, prefix + '.w1'), limit)
        up = np.clip(self.linear(x, prefix + '.w3'), -limit, limit)
        hidden = f32(f32(gate / (1 + np.exp(-gate))) * up)
        if weights is not None:
            hidden = f32(weights * hidden)
        return self.linear(bf16(hidden), prefix + '.w2')

    def moe(self, layer, x, ids):
        c, prefix = self.config, f'layers.{layer}.ffn'
        experts, top_k = c['n_routed_experts'], c['num_experts_per_tok']
        logits = f32(x @ self.w[prefix + '.gate.weight'].T)
        scores = f32(np.sqrt(np.where(logits > 20, logits, np.log1p(np.exp(logits)))))
        if layer < c['num_hash_layers']:
            chosen = self.w[prefix + '.gate.tid2eid'][ids]
        else:
            biased = scores + self.w[prefix + '.gate.bias']
            chosen = []
            for t in range(x.shape[0]):
                order = sorted(range(experts), key=lambda e: (-biased[t, e], e))
                if (layer, t) in self.flips:  # swap the last chosen expert for the runner-up
                    order = order[:top_k - 1] + [order[top_k]]
                chosen.append(order[:top_k])
            chosen = np.array(chosen)
        weights = np.take_along_axis(scores, chosen, 1)
        weights = f32(weights / weights.sum(-1, keepdims=True)) * c['routed_scaling_factor']
        out = np.zeros_like(x)
        for expert in range(experts):
            rows, slots = np.where(chosen == expert)
            if len(rows):
                out[rows] = f32(out[rows] + self.expert(f'{prefix}.experts.{expert}', x[rows],
                                                        f32(weights[rows, slots])[:, None]))
        return bf16(f32(out + self.expert(prefix + '.shared_experts', x, None)))

    def logits(self, ids):
        c = self.config
        streams = np.repeat(self.w['embed.weight'][ids][:, None, :], c['hc_mult'], 1)
        for layer in range(c['num_hidden_layers']):
            for site, norm, sublayer in (('hc_attn', 'attn_norm', self.attention),
                                         ('hc_ffn', 'ffn_norm', None)):
                x, post, comb = self.hc_pre(streams, f'layers.{layer}.{site}')
                x = self.rms_norm(x, self.w[f'layers.{layer}.{norm}.weight'])
                out = sublayer(layer, x) if sublayer else self.moe(layer, x, ids)
                streams = self.hc_post(out, streams, post, comb)
        flat = streams.reshape(len(ids), -1)
        mixes = f32(flat @ self.w['hc_head_fn'].T) * f32(
            1 / np.sqrt(f32((flat * flat).mean(-1, keepdims=True) + self.eps)))
        pre = 1 / (1 + np.exp(-(mixes * self.w['hc_head_scale'] + self.w['hc_head_base'])))
        hidden = bf16(((pre + c['hc_eps'])[:, :, None] * streams).sum(1))
        return self.rms_norm(hidden, self.w['norm.weight']) @ self.w['head.weight'].T


def cosine(a, b):
    return float(a @ b / np.sqrt((a @ a) * (b @ b)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--fixture', default=FIXTURE)
    parser.add_argument('--length', type=int, default=0, help='prompt tokens (0: all)')
    parser.add_argument('--eps-scale', type=float, default=1.0, help='multiply rms_norm_eps')
    parser.add_argument('--flip-route', action='append', default=[], metavar='LAYER:TOKEN')
    parser.add_argument('--save', help='write all-position logits (.npy)')
    parser.add_argument('--compare-with', help='per-row cosine against saved logits (.npy)')
    args = parser.parse_args()
    flips = {tuple(map(int, flip.split(':'))) for flip in args.flip_route}
    golden = load_safetensors(os.path.join(args.fixture, 'golden.safetensors'))
    ids = golden['input_ids'].astype(np.int64)
    ids = ids[:args.length] if args.length else ids
    logits = Reference(args.fixture, args.eps_scale, flips).logits(ids)
    if args.save:
        np.save(args.save, logits)
    for row, length in enumerate(golden['prefill_lengths']):
        if length <= len(ids):
            expected = golden['prefill_last_logits'][row]
            print(f'prefill length {length:3d}: cosine {cosine(logits[length - 1], expected):.6f}'
                  f', argmax {"same" if logits[length - 1].argmax() == expected.argmax() else "differs"}')
    decode = golden['decode_logits']
    rows = [(119 + j, decode[j]) for j in range(len(decode)) if 119 + j < len(ids)]
    if rows:
        cosines = [cosine(logits[p], e) for p, e in rows]
        same = sum(logits[p].argmax() == e.argmax() for p, e in rows)
        print(f'decode rows: worst cosine {min(cosines):.6f}, {sum(c < .999 for c in cosines)} of '
              f'{len(rows)} below 0.999, argmax same on {same}')
    if args.compare_with:
        other = np.load(args.compare_with)[:len(ids)]
        cosines = [cosine(a, b) for a, b in zip(logits, other)]
        same = np.mean(logits.argmax(1) == other.argmax(1))
        print(f'against {args.compare_with}: worst cosine {min(cosines):.6f}, '
              f'{sum(c < .999 for c in cosines)} of {len(cosines)} rows below 0.999, '
              f'argmax same on {same:.0%}')


if __name__ == '__main__':
    main()
