using System.Numerics;

namespace Forecasting.ML.Models.Ssa;

/// <summary>
/// Eigen-decomposition of a symmetric matrix: Householder tridiagonalisation, then the implicit QL method (the EISPACK
/// tred2/tql2 pair MathNet.Numerics runs too), with the eigenvectors kept as rows so every inner loop runs along
/// contiguous memory, vectorised: about twice as fast as MathNet's managed solver on SSA's week × week lag covariance, most
/// of a fit's cost; its working arrays are rows of n doubles (none on the large-object heap).
/// </summary>
internal static class SymmetricEigen
{
    /// <summary>
    /// The eigenvalues of the symmetric n × n <paramref name="matrix"/> (row-major) in no particular order, and for each the
    /// unit eigenvector at the same index.
    /// </summary>
    public static (double[] Values, double[][] Vectors) Decompose(double[] matrix, int n)
    {
        var w = new double[n][];
        for (var i = 0; i < n; i++)
        {
            w[i] = new double[n];
            Array.Copy(matrix, i * n, w[i], 0, n);
        }

        var d = new double[n];
        var e = new double[n];
        Tridiagonalize(w, d, e, n);
        Diagonalize(w, d, e, n);
        return (d, w);
    }

    // W is V transposed: V[a][b] is W[b][a]. So every inner loop below runs along a row of W.
    private static void Tridiagonalize(double[][] w, double[] d, double[] e, int n)
    {
        for (var j = 0; j < n; j++)
        {
            d[j] = w[j][n - 1];
        }

        for (var i = n - 1; i > 0; i--)
        {
            var scale = 0.0;
            var h = 0.0;
            for (var k = 0; k < i; k++)
            {
                scale += Math.Abs(d[k]);
            }

            if (scale == 0.0)
            {
                e[i] = d[i - 1];
                for (var j = 0; j < i; j++)
                {
                    d[j] = w[j][i - 1];
                    w[j][i] = 0.0;
                    w[i][j] = 0.0;
                }
            }
            else
            {
                for (var k = 0; k < i; k++)
                {
                    d[k] /= scale;
                    h += d[k] * d[k];
                }

                var f = d[i - 1];
                var g = Math.Sqrt(h);
                if (f > 0)
                {
                    g = -g;
                }

                e[i] = scale * g;
                h -= f * g;
                d[i - 1] = f - g;
                Array.Clear(e, 0, i);
                for (var j = 0; j < i; j++)
                {
                    f = d[j];
                    w[i][j] = f;
                    var row = w[j];
                    g = e[j] + (row[j] * f) + Dot(row, d, j + 1, i);
                    Axpy(f, row, e, j + 1, i);
                    e[j] = g;
                }

                f = 0.0;
                for (var j = 0; j < i; j++)
                {
                    e[j] /= h;
                    f += e[j] * d[j];
                }

                var hh = f / (h + h);
                for (var j = 0; j < i; j++)
                {
                    e[j] -= hh * d[j];
                }

                for (var j = 0; j < i; j++)
                {
                    f = d[j];
                    g = e[j];
                    var row = w[j];
                    Axpy(-f, e, row, j, i);
                    Axpy(-g, d, row, j, i);

                    d[j] = row[i - 1];
                    row[i] = 0.0;
                }
            }

            d[i] = h;
        }

        for (var i = 0; i < n - 1; i++)
        {
            w[i][n - 1] = w[i][i];
            w[i][i] = 1.0;
            var h = d[i + 1];
            var next = w[i + 1];
            if (h != 0.0)
            {
                for (var k = 0; k <= i; k++)
                {
                    d[k] = next[k] / h;
                }

                for (var j = 0; j <= i; j++)
                {
                    var row = w[j];
                    var g = Dot(next, row, 0, i + 1);
                    Axpy(-g, d, row, 0, i + 1);
                }
            }

            Array.Clear(next, 0, i + 1);
        }

        for (var j = 0; j < n; j++)
        {
            d[j] = w[j][n - 1];
            w[j][n - 1] = 0.0;
        }

        w[n - 1][n - 1] = 1.0;
        e[0] = 0.0;
    }

    private static void Diagonalize(double[][] w, double[] d, double[] e, int n)
    {
        for (var i = 1; i < n; i++)
        {
            e[i - 1] = e[i];
        }

        e[n - 1] = 0.0;
        var f = 0.0;
        var tst1 = 0.0;
        var eps = Math.Pow(2.0, -52.0);
        for (var l = 0; l < n; l++)
        {
            tst1 = Math.Max(tst1, Math.Abs(d[l]) + Math.Abs(e[l]));
            var m = l;
            while (m < n)
            {
                if (Math.Abs(e[m]) <= eps * tst1)
                {
                    break;
                }

                m++;
            }

            if (m > l)
            {
                var iterations = 0;
                do
                {
                    if (++iterations > 60)
                    {
                        throw new ArithmeticException("the symmetric eigen-decomposition did not converge");
                    }

                    var g = d[l];
                    var p = (d[l + 1] - g) / (2.0 * e[l]);
                    var r = Hypot(p, 1.0);
                    if (p < 0)
                    {
                        r = -r;
                    }

                    d[l] = e[l] / (p + r);
                    d[l + 1] = e[l] * (p + r);
                    var dl1 = d[l + 1];
                    var h = g - d[l];
                    for (var i = l + 2; i < n; i++)
                    {
                        d[i] -= h;
                    }

                    f += h;
                    p = d[m];
                    var c = 1.0;
                    var c2 = c;
                    var c3 = c;
                    var el1 = e[l + 1];
                    var s = 0.0;
                    var s2 = 0.0;
                    for (var i = m - 1; i >= l; i--)
                    {
                        c3 = c2;
                        c2 = c;
                        s2 = s;
                        g = c * e[i];
                        h = c * p;
                        r = Hypot(p, e[i]);
                        e[i + 1] = s * r;
                        s = e[i] / r;
                        c = p / r;
                        p = (c * d[i]) - (s * g);
                        d[i + 1] = h + (s * ((c * g) + (s * d[i])));
                        Rotate(w[i], w[i + 1], c, s, n);
                    }

                    p = -s * s2 * c3 * el1 * e[l] / dl1;
                    e[l] = s * p;
                    d[l] = c * p;
                }
                while (Math.Abs(e[l]) > eps * tst1);
            }

            d[l] += f;
            e[l] = 0.0;
        }
    }

    private static double Hypot(double a, double b)
    {
        double r;
        if (Math.Abs(a) > Math.Abs(b))
        {
            r = b / a;
            return Math.Abs(a) * Math.Sqrt(1 + (r * r));
        }

        if (b != 0.0)
        {
            r = a / b;
            return Math.Abs(b) * Math.Sqrt(1 + (r * r));
        }

        return 0.0;
    }

    // (row i, row i+1) <- (c * row i - s * row i+1, s * row i + c * row i+1)
    private static void Rotate(double[] a, double[] b, double c, double s, int n)
    {
        var k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vc = new Vector<double>(c);
            var vs = new Vector<double>(s);
            for (; k <= n - Vector<double>.Count; k += Vector<double>.Count)
            {
                var x = new Vector<double>(a, k);
                var y = new Vector<double>(b, k);
                ((vc * x) - (vs * y)).CopyTo(a, k);
                ((vs * x) + (vc * y)).CopyTo(b, k);
            }
        }

        for (; k < n; k++)
        {
            var h = b[k];
            b[k] = (s * a[k]) + (c * h);
            a[k] = (c * a[k]) - (s * h);
        }
    }

    // a . b over the entries [from, to)
    private static double Dot(double[] a, double[] b, int from, int to)
    {
        var k = from;
        var sum = 0.0;
        if (Vector.IsHardwareAccelerated && to - from >= Vector<double>.Count)
        {
            var acc = Vector<double>.Zero;
            for (; k <= to - Vector<double>.Count; k += Vector<double>.Count)
            {
                acc += new Vector<double>(a, k) * new Vector<double>(b, k);
            }

            sum = Vector.Sum(acc);
        }

        for (; k < to; k++)
        {
            sum += a[k] * b[k];
        }

        return sum;
    }

    // y <- y + alpha * x over the entries [from, to)
    private static void Axpy(double alpha, double[] x, double[] y, int from, int to)
    {
        var k = from;
        if (Vector.IsHardwareAccelerated)
        {
            var va = new Vector<double>(alpha);
            for (; k <= to - Vector<double>.Count; k += Vector<double>.Count)
            {
                (new Vector<double>(y, k) + (va * new Vector<double>(x, k))).CopyTo(y, k);
            }
        }

        for (; k < to; k++)
        {
            y[k] += alpha * x[k];
        }
    }
}
