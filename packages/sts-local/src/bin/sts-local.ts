#!/usr/bin/env node
import { runFromProcess } from './main';

void runFromProcess();
