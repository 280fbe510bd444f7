"""
One PyTorch float32 (or float64) thread training 784-256-128-10 (batch 64, momentum SGD, ReLU,
cross-entropy) for S seconds of this thread's CPU time; prints samples per CPU second.

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/torch_cpu_time.py float32 3

The partner of `npx tsx bench/versus-old.ts --clock cpu` when the machine is shared: CPU time
leaves out the time spent waiting for a core, which wall time on a loaded machine does not.
Random data (the speed does not depend on the values); `npm run bench` is the wall-clock peer.
"""
import time, torch, sys
torch.set_num_threads(1)
torch.manual_seed(0)
dtype = torch.float32 if sys.argv[1] == 'float32' else torch.float64
sizes, batch = [784, 256, 128, 10], 64
X = torch.randn(1024, 784, dtype=dtype); t = torch.randint(0, 10, (1024,))
layers = []
for i in range(3):
    layers.append(torch.nn.Linear(sizes[i], sizes[i+1]).to(dtype))
    if i < 2: layers.append(torch.nn.ReLU())
model = torch.nn.Sequential(*layers)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
lf = torch.nn.CrossEntropyLoss()
def step(k):
    x = X[k*batch:(k+1)*batch]; y = t[k*batch:(k+1)*batch]
    opt.zero_grad(); v = lf(model(x), y); v.backward(); opt.step(); return v.item()
for k in range(50): step(k % 16)
c0 = time.thread_time(); n = 0
while time.thread_time() - c0 < float(sys.argv[2]):
    step(n % 16); n += 1
print(n * batch / (time.thread_time() - c0))
