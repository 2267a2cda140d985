"""How close the detection-threshold procedure gets to simulated officers whose threshold is known.

    python benchmarks/staircase.py                      # 200 officers per observer shape, 40 trials
    python benchmarks/staircase.py --officers 500 --trials 20 30 40 60

Each simulated officer has a true threshold drawn uniformly from 0.2-0.8
(the severity they pick out three times in four) and answers four-crop
trials from a psychometric function the procedure does *not* assume unless
said: the model's logistic at slopes 8, 15 and 30 per unit of severity
(shallow, typical, steep), a Weibull of the same 75 % point, and an
officer who lapses on 8 % of trials (four times the model's lapse rate).
For each shape and trial count it prints the error of the estimate (mean,
median absolute, 95th percentile and largest absolute error), the share of
officers within ±0.1 of their true threshold, and how often the 95 %
credible interval holds the truth. A figure, not a test
(``tests/test_drill_staircase.py`` asserts the ±0.1 goal on 20 seeds).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from docexam.drill.staircase import GUESS, TARGET, Staircase, p_correct


def _weibull(threshold: float, k: float = 4.0):
    scale = threshold / np.log(1 / (1 - (TARGET - GUESS) / 0.73)) ** (1 / k)
    return lambda x: 0.25 + 0.73 * (1 - np.exp(-(max(x, 1e-9) / scale) ** k))


#: observer shapes: name -> (true threshold -> P(correct | severity))
SHAPES = {
    "logistic, slope 8": lambda t: lambda x: float(p_correct(x, t, 8.0)),
    "logistic, slope 15": lambda t: lambda x: float(p_correct(x, t, 15.0)),
    "logistic, slope 30": lambda t: lambda x: float(p_correct(x, t, 30.0)),
    "Weibull k=4": _weibull,
    "slope 15, 8 % lapses": lambda t: lambda x: float(p_correct(x, t, 15.0, lapse=0.08)),
}


def run_officer(rng: np.random.Generator, observer, checkpoints: list[int]) -> dict[int, tuple[float, float, float]]:
    """(estimate, low, high) of one simulated officer after each of ``checkpoints`` trials."""
    s, out = Staircase(), {}
    for n in range(1, max(checkpoints) + 1):
        x = s.next_level()
        s = s.updated(x, bool(rng.random() < observer(x)))
        if n in checkpoints:
            e = s.estimate()
            out[n] = (e.threshold, e.low, e.high)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=200, help="simulated officers per observer shape")
    parser.add_argument("--trials", type=int, nargs="+", default=[20, 40], help="trial counts to report")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    checkpoints = sorted(set(args.trials))
    print(f"{args.officers} simulated officers per shape, true thresholds uniform 0.2-0.8, seed {args.seed}")
    print(f"{'observer':22} {'trials':>6} {'mean err':>9} {'median |err|':>13} {'p95 |err|':>10} "
          f"{'max |err|':>10} {'within 0.1':>11} {'95% CI holds':>13}")
    t0 = time.process_time()
    for s_i, (name, shape) in enumerate(SHAPES.items()):
        rng = np.random.default_rng([args.seed, s_i])
        truths = rng.uniform(0.2, 0.8, args.officers)
        runs = [run_officer(rng, shape(float(t)), checkpoints) for t in truths]
        for n in checkpoints:
            est = np.array([r[n][0] for r in runs])
            low, high = np.array([r[n][1] for r in runs]), np.array([r[n][2] for r in runs])
            err = est - truths
            a = np.abs(err)
            print(f"{name:22} {n:>6} {err.mean():>+9.3f} {np.median(a):>13.3f} {np.percentile(a, 95):>10.3f} "
                  f"{a.max():>10.3f} {np.mean(a <= 0.1):>10.1%} {np.mean((low <= truths) & (truths <= high)):>12.1%}")
    print(f"CPU {time.process_time() - t0:.1f} s")
    print(f"command: python benchmarks/staircase.py --officers {args.officers} --trials "
          f"{' '.join(map(str, checkpoints))} --seed {args.seed}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
