# Helper functions used by build.py to write hostile variants of identifiers.
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
C = '10X98765432'

def idcheck(body17):
    return C[sum(int(a) * b for a, b in zip(body17, W)) % 11]

def idn(region, birth, seq):
    body = f"{region}{birth}{seq}"
    assert len(body) == 17
    return body + idcheck(body)

def fw(s):
    return ''.join(chr(ord(c) + 0xFEE0) if c.isdigit() or c in 'Xx' else c for c in s)

CIRC = {'0': '⓪', **{str(i): chr(0x2460 + i - 1) for i in range(1, 10)}}
def circ(s):
    return ''.join(CIRC.get(c, c) for c in s)

def cn(s, one='一', zero='〇', two='二'):
    m = {'0': zero, '1': one, '2': two, '3': '三', '4': '四', '5': '五', '6': '六', '7': '七', '8': '八', '9': '九'}
    return ''.join(m.get(c, c) for c in s)

def interleave(s, ch):
    return ch.join(s)

def spaced(s):
    return ' '.join(s)

def rlo(s):
    # display-correct right-to-left override: logical order reversed
    return '\u202e' + s[::-1] + '\u202c'

ZWSP, ZWJ, SHY, WJ = '\u200b', '\u200d', '\u00ad', '\u2060'

USCC_CH = '0123456789ABCDEFGHJKLMNPQRTUWXY'
USCC_W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
def uscc(body17):
    s = sum(USCC_CH.index(c) * w for c, w in zip(body17, USCC_W))
    return body17 + USCC_CH[(31 - s % 31) % 31]
