using Forecasting.ML.Models.Ssa;
using MathNet.Numerics.LinearAlgebra;

namespace Forecasting.ML.Tests.Ssa;

public sealed class SymmetricEigenTests
{
    [Theory]
    [InlineData(168, 1)]
    [InlineData(30, 2)]
    [InlineData(5, 3)]
    public void DecomposesALagCovarianceAsMathNetDoes(int n, int seed)
    {
        // An SSA lag covariance (daily and weekly cycles, noise) and a random symmetric matrix with negative eigenvalues.
        var random = new Random(seed);
        var x = Enumerable.Range(0, (4 * n) + 50).Select(t => 100 + (30 * Math.Sin(2 * Math.PI * t / 24)) + (10 * Math.Sin(2 * Math.PI * t / 168)) + (5 * random.NextDouble())).ToArray();
        var covariance = new double[n * n];
        var noise = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                covariance[(i * n) + j] = covariance[(j * n) + i] = Enumerable.Range(0, x.Length - n).Sum(k => x[k + i] * x[k + j]);
                noise[(i * n) + j] = noise[(j * n) + i] = random.NextDouble() - 0.5;
            }
        }

        foreach (var matrix in new[] { covariance, noise })
        {
            var (values, vectors) = SymmetricEigen.Decompose(matrix, n);
            var reference = Matrix<double>.Build.Dense(n, n, matrix).Evd(Symmetricity.Symmetric);
            var expected = reference.EigenValues.Select(v => v.Real).ToArray();
            var largest = expected.Max(Math.Abs);
            Assert.Equal(expected.Order().ToArray(), values.Order().ToArray(), (a, b) => Math.Abs(a - b) <= 1e-10 * largest);
            var a = Matrix<double>.Build.Dense(n, n, matrix);
            for (var k = 0; k < n; k++)
            {
                // A v = lambda v, |v| = 1: each is an eigenpair, whatever the order and sign.
                var v = Vector<double>.Build.DenseOfArray(vectors[k]);
                Assert.Equal(1, v.L2Norm(), 10);
                Assert.True(((a * v) - (values[k] * v)).L2Norm() <= 1e-10 * largest, $"pair {k}");
            }
        }
    }
}
