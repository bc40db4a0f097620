import { mount } from 'svelte';
import './app.css';
import Root from './Root.svelte';
import { applyTheme, storedTheme } from './lib/theme';

applyTheme(storedTheme());
const target = document.getElementById('app');
if (target) mount(Root, { target });
